package dev.longtasks.cli.fakes;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.Map;

/**
 * An AWS endpoint whose caller's session has expired: every AWS JSON call (SSM, DynamoDB) gets
 * the real 400 ExpiredTokenException body, every query-protocol call (STS, SNS) the XML one.
 */
public final class ExpiredTokenFake extends LoopbackServer {
    static final String MESSAGE = "The security token included in the request is expired";

    @Override
    protected void handle(HttpExchange ex, String body) throws IOException {
        if (ex.getRequestHeaders().getFirst("X-Amz-Target") != null) {
            send(ex, 400, "application/x-amz-json-1.1",
                    "{\"__type\":\"ExpiredTokenException\",\"message\":\"" + MESSAGE + "\"}", Map.of());
        } else {
            send(ex, 403, "text/xml", "<ErrorResponse><Error><Type>Sender</Type><Code>ExpiredToken</Code><Message>"
                    + MESSAGE + "</Message></Error><RequestId>1</RequestId></ErrorResponse>", Map.of());
        }
    }
}
