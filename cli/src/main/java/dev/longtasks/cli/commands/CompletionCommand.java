package dev.longtasks.cli.commands;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "completion", description = {"Print a shell completion script.", "",
        "  bash: source <(taskctl completion bash)      (or save it under ~/.local/share/bash-completion/completions/taskctl)",
        "  zsh:  source <(taskctl completion zsh)       (in ~/.zshrc)"})
public final class CompletionCommand extends TaskctlCommand {
    public enum Shell { bash, zsh }

    @Parameters(index = "0", paramLabel = "SHELL", description = "${COMPLETION-CANDIDATES}")
    Shell shell;

    @Override
    public Integer call() {
        String script = AutoComplete.bash("taskctl", spec.root().commandLine());
        var out = out();
        if (shell == Shell.zsh) {
            // picocli's script is bash; zsh runs it through its bash-completion compatibility layer.
            out.println("autoload -U +X compinit && compinit");
            out.println("autoload -U +X bashcompinit && bashcompinit");
        }
        out.print(script);
        out.flush();
        return 0;
    }
}
