package dev.longtasks.cli.commands;

import dev.longtasks.cli.aws.SnsEvents;
import dev.longtasks.cli.aws.StageNames;
import dev.longtasks.cli.input.TaskIds;
import dev.longtasks.cli.options.VerbosityOptions;
import dev.longtasks.json.Json;
import dev.longtasks.task.TaskEvent;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "sns", description = {"Print the SNS Lambda event (MessageAttributes included) that makes the listener run a task.",
        "Offline: nothing is read or written."},
        footer = {"", "Example:", "  taskctl event sns --task-id ID --stage staging > event.json"})
public final class EventSnsCommand extends TaskctlCommand {
    @Mixin
    VerbosityOptions verbosity;

    @Option(names = "--task-id", required = true, paramLabel = "ID", description = "The task the event announces.")
    String taskId;

    @Option(names = {"-t", "--type"}, paramLabel = "TYPE", defaultValue = "example", description = "Task type (default: ${DEFAULT-VALUE}).")
    String type;

    @Option(names = "--stage", paramLabel = "STAGE", defaultValue = "local", description = "Stage named in the event (default: ${DEFAULT-VALUE}).")
    String stage;

    @Option(names = "--topic-arn", paramLabel = "ARN",
            description = "TopicArn to put in the event (default: arn:aws:sns:us-east-1:000000000000:<the stage's default topic>).")
    String topicArn;

    @Option(names = "--compact", description = "One line instead of pretty-printed JSON.")
    boolean compact;

    @Override
    public Integer call() throws Exception {
        String id = TaskIds.check(taskId);
        String arn = topicArn != null ? topicArn
                : StageNames.topicArn("aws", "us-east-1", "000000000000", new StageNames(stage).defaultTopicName());
        var event = SnsEvents.lambdaEvent(TaskEvent.submitted(id, type, stage), arn, Instant.now());
        var out = out();
        out.println(compact ? Json.write(event) : Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(event));
        out.flush();
        return 0;
    }
}
