package dev.longtasks.cli.invoke;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** The Lambda context of a local invoke: the listener's 15 min budget, counted from now. */
final class LocalLambdaContext implements Context {
    private final String requestId = UUID.randomUUID().toString();
    private final String functionName;
    private final long deadlineMillis;
    private final PrintWriter err;

    LocalLambdaContext(String functionName, long budgetMillis, PrintWriter err) {
        this.functionName = functionName;
        this.err = err;
        this.deadlineMillis = System.currentTimeMillis() + budgetMillis;
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/" + functionName;
    }

    @Override
    public String getLogStreamName() {
        return "taskctl-invoke-local";
    }

    @Override
    public String getFunctionName() {
        return functionName;
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return "arn:aws:lambda:local:000000000000:function:" + functionName;
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
        return (int) Math.max(0, deadlineMillis - System.currentTimeMillis());
    }

    @Override
    public int getMemoryLimitInMB() {
        return 1024;
    }

    @Override
    public LambdaLogger getLogger() {
        return new LambdaLogger() {
            @Override
            public void log(String message) {
                err.print(message);
                err.flush();
            }

            @Override
            public void log(byte[] message) {
                err.print(new String(message, StandardCharsets.UTF_8));
                err.flush();
            }
        };
    }
}
