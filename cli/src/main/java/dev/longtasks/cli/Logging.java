package dev.longtasks.cli;

import java.util.List;

/**
 * taskctl's logs go to stderr (stdout is for data): quiet by default, debug with {@code -v}, and
 * the service's info logs for {@code dev} and {@code invoke}. Sets slf4j-simple's levels from the command line before the first logger exists (slf4j-simple
 * reads its configuration once). Only {@code main} calls this: tests keep the defaults.
 */
final class Logging {
    private static final String LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";
    private static final String OURS = "org.slf4j.simpleLogger.log.dev.longtasks";

    private Logging() {
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    static void configure(String... args) {
        // Set here rather than in a simplelogger.properties, which the service jar also ships.
        setIfAbsent("org.slf4j.simpleLogger.logFile", "System.err");
        setIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
        setIfAbsent("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
        setIfAbsent("org.slf4j.simpleLogger.showThreadName", "false");
        setIfAbsent("org.slf4j.simpleLogger.showShortLogName", "true");
        setIfAbsent("org.slf4j.simpleLogger.levelInBrackets", "true");
        List<String> a = List.of(args);
        boolean verbose = a.contains("-v") || a.contains("--verbose");
        boolean serviceRuns = a.contains("dev") || a.contains("invoke");
        setIfAbsent(LEVEL, verbose ? "debug" : "warn");
        if (System.getProperty(OURS) == null && (verbose || serviceRuns)) {
            System.setProperty(OURS, verbose ? "debug" : "info");
        }
    }
}
