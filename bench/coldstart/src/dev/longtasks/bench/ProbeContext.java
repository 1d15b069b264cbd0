package dev.longtasks.bench;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;

/** The Lambda Context of the probe's one invocation. */
final class ProbeContext implements Context {
    public String getAwsRequestId() { return "bench-0001"; }
    public String getLogGroupName() { return "/aws/lambda/long-running-tasks-bench-api"; }
    public String getLogStreamName() { return "bench"; }
    public String getFunctionName() { return "long-running-tasks-bench-api"; }
    public String getFunctionVersion() { return "1"; }
    public String getInvokedFunctionArn() { return "arn:aws:lambda:eu-west-1:123456789012:function:bench"; }
    public CognitoIdentity getIdentity() { return null; }
    public ClientContext getClientContext() { return null; }
    public int getRemainingTimeInMillis() { return 30_000; }
    public int getMemoryLimitInMB() { return 1024; }
    public LambdaLogger getLogger() { return null; }
}
