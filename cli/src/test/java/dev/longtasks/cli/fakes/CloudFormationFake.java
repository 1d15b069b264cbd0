package dev.longtasks.cli.fakes;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * CloudFormation DescribeStacks over its real wire protocol (AWS query: a form POST with
 * {@code Action=DescribeStacks&StackName=...&Version=2010-05-15} in, XML out), answering with the
 * outputs of the stacks it was given, and with CloudFormation's own 400 {@code ValidationError}
 * ("Stack with id X does not exist") for any other.
 */
public final class CloudFormationFake extends LoopbackServer {
    private final Map<String, Map<String, String>> stacks = new ConcurrentHashMap<>();
    /** The StackName of every DescribeStacks call. */
    public final List<String> described = new CopyOnWriteArrayList<>();

    /** A stack in UPDATE_COMPLETE with these outputs (key to value), in this order. */
    public CloudFormationFake stack(String name, Map<String, String> outputs) {
        stacks.put(name, new LinkedHashMap<>(outputs));
        return this;
    }

    @Override
    protected void handle(HttpExchange ex, String body) throws IOException {
        Map<String, String> form = form(body);
        if (!"DescribeStacks".equals(form.get("Action"))) {
            error(ex, "InvalidAction", "not faked: " + form.get("Action"));
            return;
        }
        String name = form.get("StackName");
        described.add(name);
        Map<String, String> outputs = stacks.get(name);
        if (outputs == null) {
            error(ex, "ValidationError", "Stack with id " + name + " does not exist");
            return;
        }
        StringBuilder members = new StringBuilder();
        outputs.forEach((k, v) -> members.append("<member><OutputKey>").append(k).append("</OutputKey><OutputValue>")
                .append(xml(v)).append("</OutputValue><Description>").append(k).append("</Description></member>"));
        send(ex, 200, "text/xml", """
                <DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
                  <DescribeStacksResult>
                    <Stacks>
                      <member>
                        <StackId>arn:aws:cloudformation:us-east-1:%s:stack/%s/1c2fa620-982a-11e3-aff7-50e2416294e0</StackId>
                        <StackName>%s</StackName>
                        <CreationTime>2026-11-26T18:00:00.000Z</CreationTime>
                        <StackStatus>UPDATE_COMPLETE</StackStatus>
                        <Outputs>%s</Outputs>
                      </member>
                    </Stacks>
                  </DescribeStacksResult>
                  <ResponseMetadata><RequestId>b9b4b068-3a41-11e5-94eb-example</RequestId></ResponseMetadata>
                </DescribeStacksResponse>""".formatted(StsFake.ACCOUNT, name, name, members), Map.of());
    }

    private static void error(HttpExchange ex, String code, String message) throws IOException {
        send(ex, 400, "text/xml", "<ErrorResponse xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\"><Error>"
                + "<Type>Sender</Type><Code>" + code + "</Code><Message>" + xml(message) + "</Message></Error>"
                + "<RequestId>b9b4b068-3a41-11e5-94eb-example</RequestId></ErrorResponse>", Map.of());
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
