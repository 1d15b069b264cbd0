package dev.longtasks.cli.commands;

import dev.longtasks.cli.CliException;
import dev.longtasks.cli.ExitCodes;
import dev.longtasks.cli.Main;
import dev.longtasks.cli.options.VerbosityOptions;
import dev.longtasks.config.ServiceSettings;
import dev.longtasks.local.LocalMain;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "dev", description = {"Run the local service: the HTTP API and the listener in this process, with the embedded",
        "backends (in-memory store, in-process bus) unless TASKS_STORE/TASKS_BUS say otherwise. Ctrl-C stops it."},
        footer = {"", "Then, in another shell:", "  taskctl submit --stage local examples/data.json --wait"})
public final class DevCommand extends TaskctlCommand {
    @Mixin
    VerbosityOptions verbosity;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", defaultValue = "4000", description = "Port to listen on (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--grace", paramLabel = "SECONDS", defaultValue = "10", description = "On stop, how long running tasks get to finish (default: ${DEFAULT-VALUE}).")
    int graceSeconds;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65_535) {
            throw CliException.usage("--port " + port + " is not a port: use 0..65535");
        }
        Map<String, String> env = environment().env();
        ServiceSettings settings = ServiceSettings.fromEnv(env).withPort(port);
        LocalMain.Running running;
        try {
            running = LocalMain.start(settings, env);
        } catch (IOException e) {
            throw new CliException(ExitCodes.CONFIG, "cannot listen on port " + port + ": " + e.getMessage()
                    + " — is another `taskctl dev` running? Pick another with --port", e);
        }
        Duration grace = Duration.ofSeconds(graceSeconds);
        Thread hook = new Thread(() -> running.stop(grace), "taskctl-dev-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        PrintWriter err = err();
        String url = "http://localhost:" + running.port();
        String target = running.port() == 4000 ? "--stage local" : "--api-url " + url;
        err.println("taskctl dev: the task service is listening on " + url
                + " (store " + settings.store() + ", bus " + settings.bus() + ", stage " + settings.stage() + ")");
        err.println("  submit:  taskctl submit " + target + " examples/data.json --wait");
        err.println("  watch:   taskctl watch " + target + " ID");
        err.println("  curl:    curl -s " + url + "/v1/tasks -H 'content-type: application/json' -d '{\"type\":\"example\",\"data\":{\"steps\":3}}'");
        err.println("  docs:    " + url + "/v1/docs");
        err.println("  tasks:   " + url + "/v1/ui   (or taskctl ls " + target + ", taskctl top " + target + ")");
        err.println("Press Ctrl-C to stop.");
        err.flush();
        try {
            running.awaitStop();
            return ExitCodes.OK;
        } catch (InterruptedException e) {
            running.stop(grace);
            return ExitCodes.INTERRUPTED;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is already running: it stops the service
            }
        }
    }
}
