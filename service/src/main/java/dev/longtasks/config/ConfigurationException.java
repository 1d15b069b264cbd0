package dev.longtasks.config;

/** The configuration is missing or wrong; the message names the setting and how to fix it. */
public class ConfigurationException extends RuntimeException {
    public ConfigurationException(String message) {
        super(message);
    }

    public ConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
