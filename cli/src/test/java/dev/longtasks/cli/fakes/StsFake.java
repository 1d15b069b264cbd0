package dev.longtasks.cli.fakes;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.Map;

/** STS GetCallerIdentity over its real wire protocol (AWS query: form POST in, XML out). */
public final class StsFake extends LoopbackServer {
    public static final String ACCOUNT = "123456789012";
    /** A caller in the China partition, as STS there answers. */
    public static final String CHINA_ARN = "arn:aws-cn:iam::" + ACCOUNT + ":user/operator";

    private final String callerArn;

    public StsFake() {
        this("arn:aws:iam::" + ACCOUNT + ":user/operator");
    }

    /** Answers GetCallerIdentity with this caller (its account stays {@link #ACCOUNT}). */
    public StsFake(String callerArn) {
        this.callerArn = callerArn;
    }

    @Override
    protected void handle(HttpExchange ex, String body) throws IOException {
        if (!body.contains("Action=GetCallerIdentity")) {
            send(ex, 400, "text/xml", "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code>"
                    + "<Message>not faked</Message></Error><RequestId>1</RequestId></ErrorResponse>", Map.of());
            return;
        }
        send(ex, 200, "text/xml", """
                <GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                  <GetCallerIdentityResult>
                    <Arn>%s</Arn>
                    <UserId>AIDAEXAMPLE</UserId>
                    <Account>123456789012</Account>
                  </GetCallerIdentityResult>
                  <ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata>
                </GetCallerIdentityResponse>""".formatted(callerArn), Map.of());
    }
}
