package dev.longtasks;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The build's version, read from {@code dev/longtasks/version.properties}, which Maven fills in
 * from the pom. The service's health route and the CLI's {@code --version} both show it.
 */
public final class Version {
    private static final String VERSION = load();

    private Version() {
    }

    /** The project version, or {@code "unknown"} when run from classes that Maven did not filter. */
    public static String current() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "unknown").trim();
            // An unfiltered copy (an IDE build) still holds the Maven placeholder.
            return v.isEmpty() || v.startsWith("${") ? "unknown" : v;
        } catch (IOException e) {
            return "unknown";
        }
    }
}
