package dev.longtasks.cli;

import dev.longtasks.config.ConfigurationException;
import dev.longtasks.task.InvalidTaskInputException;
import dev.longtasks.task.TaskStoreException;
import dev.longtasks.task.UnknownTaskTypeException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The one place where failures become output: one line on stderr saying what happened and what
 * to do next, and the documented exit code. Stack traces only with {@code -v}.
 */
public final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        // One line, like every other failure: the message, then where the usage is.
        String message = withoutJavaExceptionName(ex.getMessage());
        err.println("taskctl: " + message
                + (message.contains("--help") ? "" : " — see `" + cmd.getCommandSpec().qualifiedName() + " --help`"));
        err.flush();
        return ExitCodes.USAGE;
    }

    /**
     * picocli's conversion errors end with the JDK exception, e.g. "cannot convert 'x' to URI
     * (java.net.URISyntaxException: Illegal character ...)": keep its message, drop the class name.
     */
    static String withoutJavaExceptionName(String message) {
        return message == null ? "" : message.replaceAll("\\s*\\((?:[a-z_]+\\.)+[A-Za-z_$]+(?:Exception|Error): (.*)\\)$", ": $1");
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        PrintWriter err = cmd.getErr();
        Failure f = classify(ex);
        err.println("taskctl: " + f.message());
        if (isVerbose(parseResult)) {
            ex.printStackTrace(err);
        } else if (f.code() == ExitCodes.CONFIG && f.unexpected()) {
            err.println("Run again with -v for the stack trace.");
        }
        err.flush();
        return f.code();
    }

    record Failure(int code, String message, boolean unexpected) {
    }

    static Failure classify(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            switch (t) {
                case CliException c -> {
                    return new Failure(c.exitCode(), c.getMessage(), false);
                }
                case ParameterException p -> {
                    return new Failure(ExitCodes.USAGE, p.getMessage(), false);
                }
                case InterruptedException i -> {
                    return new Failure(ExitCodes.INTERRUPTED, "interrupted", false);
                }
                case UnknownTaskTypeException u -> {
                    return new Failure(ExitCodes.USAGE, Refusals.unknownType(u), false);
                }
                case InvalidTaskInputException i -> {
                    return new Failure(ExitCodes.USAGE, Refusals.invalidData(i.getMessage(), 0), false);
                }
                case ConfigurationException c -> {
                    return new Failure(ExitCodes.CONFIG, c.getMessage(), false);
                }
                case NoSuchFileException n -> {
                    return new Failure(ExitCodes.USAGE, "file not found: " + n.getFile(), false);
                }
                default -> {
                }
            }
        }
        Throwable root = rootCause(ex);
        if (findCause(ex, SdkClientException.class) != null) {
            String what = root instanceof ConnectException || root instanceof UnknownHostException
                    ? "cannot reach AWS: " + root.getMessage() : "AWS client error: " + firstLine(root.getMessage());
            return new Failure(ExitCodes.CONFIG, what
                    + " — check --region/--profile/--endpoint-url and credentials (`taskctl doctor`)", false);
        }
        if (root instanceof ConnectException || root instanceof HttpTimeoutException) {
            return new Failure(ExitCodes.CONFIG, "cannot connect: " + root.getMessage(), false);
        }
        SdkException sdk = findCause(ex, SdkException.class);
        if (sdk != null) {
            return new Failure(ExitCodes.CONFIG, "AWS error: " + firstLine(sdk.getMessage())
                    + " — check the stage, region and permissions (`taskctl doctor`)", false);
        }
        if (findCause(ex, TaskStoreException.class) != null) {
            return new Failure(ExitCodes.CONFIG, "task store error: " + firstLine(rootCause(ex).getMessage()), false);
        }
        if (ex instanceof UncheckedIOException u) {
            return new Failure(ExitCodes.CONFIG, "I/O error: " + u.getCause().getMessage(), false);
        }
        return new Failure(ExitCodes.CONFIG, "unexpected error: " + root.getClass().getSimpleName()
                + (root.getMessage() == null ? "" : ": " + firstLine(root.getMessage())), true);
    }

    static boolean isVerbose(ParseResult parseResult) {
        for (ParseResult pr = parseResult; pr != null; pr = pr.subcommand()) {
            if (pr.hasMatchedOption("-v")) {
                return true;
            }
        }
        return false;
    }

    private static <T extends Throwable> T findCause(Throwable ex, Class<T> type) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static Throwable rootCause(Throwable ex) {
        Throwable t = ex;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
