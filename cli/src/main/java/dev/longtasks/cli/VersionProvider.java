package dev.longtasks.cli;

import dev.longtasks.Version;
import picocli.CommandLine.IVersionProvider;

/** The one build version, shared with the service (Maven-filtered at build time). */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"taskctl " + Version.current()};
    }
}
