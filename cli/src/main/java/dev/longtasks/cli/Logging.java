package dev.longtasks.cli;

import java.util.List;

/**
 * Sets slf4j-simple's levels from the command line before the first logger exists (slf4j-simple
 * reads its configuration once). Only {@code main} calls this: tests keep the defaults.
 */
final class Logging {
    private static final String LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";
    private static final String OURS = "org.slf4j.simpleLogger.log.dev.longtasks";

    private Logging() {
    }

    static void configure(String... args) {
        List<String> a = List.of(args);
        boolean verbose = a.contains("-v") || a.contains("--verbose");
        boolean serviceRuns = a.contains("dev") || a.contains("invoke");
        if (System.getProperty(LEVEL) == null && verbose) {
            System.setProperty(LEVEL, "debug");
        }
        if (System.getProperty(OURS) == null && (verbose || serviceRuns)) {
            System.setProperty(OURS, verbose ? "debug" : "info");
        }
    }
}
