package dev.longtasks.cli.aws;

/** How the commands show a stage's parameter values (they are read with the service's SsmParameters). */
public final class StageParameters {
    private StageParameters() {
    }

    /** SecureString values are shown as {@code ****} unless asked for. */
    public static String shown(String value, boolean secure, boolean showValues) {
        if (value == null) {
            return "-";
        }
        return secure && !showValues ? "****" : value;
    }
}
