package dev.longtasks.local;

/**
 * The one line a process prints when start-up fails in a way no check anticipated: an exception
 * from deep in the wiring, or an {@link Error} such as a class missing from the classpath. Without
 * it the JVM would print a stack trace into the buffered stderr that is never flushed, and the
 * process would exit 1 without a word.
 */
final class StartupFailure {
    /** A start-up failure that is neither a configuration error (2) nor a port in use (5). */
    static final int EXIT_CODE = 1;

    private StartupFailure() {
    }

    /** "error: cannot start: NoClassDefFoundError: redis/clients/... (caused by ...) — hint". */
    static String describe(Throwable failure) {
        Throwable root = failure;
        boolean classMissing = failure instanceof NoClassDefFoundError;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
            classMissing |= root instanceof NoClassDefFoundError || root instanceof ClassNotFoundException;
        }
        StringBuilder line = new StringBuilder("error: cannot start: ").append(name(failure));
        if (root != failure) {
            line.append(" (caused by ").append(name(root)).append(')');
        }
        if (classMissing) {
            // Typically a jar without the self-hosted backends' clients (the Lambda jar) started for them.
            line.append(" — a class is missing from the classpath; start the service from service-<version>.jar"
                    + " with its dependencies (scripts/run-local.sh)");
        }
        return line.toString();
    }

    private static String name(Throwable t) {
        String type = t.getClass().getName().replaceFirst("^java\\.lang\\.", "");
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            return type;
        }
        int nl = message.indexOf('\n');
        return type + ": " + (nl < 0 ? message : message.substring(0, nl)).strip();
    }
}
