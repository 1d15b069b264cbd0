package dev.longtasks.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import org.slf4j.MDC;

/** Puts the invocation's request id and cold-start flag on every log line written during it. */
final class LambdaLogContext implements AutoCloseable {
    static final String REQUEST_ID = "function_request_id";
    static final String COLD_START = "cold_start";

    private LambdaLogContext() {
    }

    static LambdaLogContext open(Context context, boolean coldStart) {
        if (context != null && context.getAwsRequestId() != null) {
            MDC.put(REQUEST_ID, context.getAwsRequestId());
        }
        MDC.put(COLD_START, Boolean.toString(coldStart));
        return new LambdaLogContext();
    }

    @Override
    public void close() {
        MDC.remove(REQUEST_ID);
        MDC.remove(COLD_START);
    }
}
