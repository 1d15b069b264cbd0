package dev.longtasks.cli;

import picocli.CommandLine.IVersionProvider;

/** picocli's --version for the whole tree (e.g. {@code taskctl -V -h}); plain --version never gets here. */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {Main.version()};
    }
}
