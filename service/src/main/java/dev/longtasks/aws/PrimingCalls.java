package dev.longtasks.aws;

import java.util.function.Supplier;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * AWS calls made to warm a process up (SnapStart priming) without leaving a trace, on every client
 * of {@link AwsClients}:
 * <ul>
 *   <li>{@link #notSent}: a write is built, marshalled and signed like any other, then stopped just
 *       before it would go on the wire, so priming exercises PutItem, UpdateItem and Publish with
 *       no side effect;</li>
 *   <li>{@link #closingConnections}: a real (read-only) call asks the server to close its
 *       connection, so no pooled socket ends up in the snapshot, where it would be dead on restore.</li>
 * </ul>
 * Both are scoped to the calling thread: the SDK's synchronous clients run every stage up to the
 * transmission on the caller's thread, and nothing else in the process is affected.
 */
public final class PrimingCalls implements ExecutionInterceptor {
    static final PrimingCalls INTERCEPTOR = new PrimingCalls();

    private enum Mode { OFF, NOT_SENT, CLOSE_CONNECTION }

    private static final ThreadLocal<Mode> MODE = ThreadLocal.withInitial(() -> Mode.OFF);

    /** What stands in for the response of a call that was not sent. */
    public static final class NotSent extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotSent(String what) {
            super(what + " was built and signed but not sent (priming)", null, false, false);
        }
    }

    private PrimingCalls() {
    }

    /**
     * Runs {@code write} with every AWS call stopped before transmission. True when a call was
     * stopped (the path reached AWS and nothing was sent); false when {@code write} returned
     * without calling AWS at all.
     */
    public static boolean notSent(Runnable write) {
        Mode before = MODE.get();
        MODE.set(Mode.NOT_SENT);
        try {
            write.run();
            return false;
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof NotSent) {
                    return true;
                }
            }
            throw e;
        } finally {
            MODE.set(before);
        }
    }

    /** Runs {@code read} with {@code Connection: close} on every AWS request it makes. */
    public static <T> T closingConnections(Supplier<T> read) {
        Mode before = MODE.get();
        MODE.set(Mode.CLOSE_CONNECTION);
        try {
            return read.get();
        } finally {
            MODE.set(before);
        }
    }

    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
        // Before signing; SigV4 leaves the Connection header out of the signature anyway.
        return MODE.get() == Mode.CLOSE_CONNECTION
                ? context.httpRequest().toBuilder().putHeader("Connection", "close").build()
                : context.httpRequest();
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        if (MODE.get() == Mode.NOT_SENT) {
            SdkHttpRequest r = context.httpRequest();
            throw new NotSent(r.method() + " " + r.host() + r.encodedPath());
        }
    }
}
