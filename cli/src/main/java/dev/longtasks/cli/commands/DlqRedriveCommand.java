package dev.longtasks.cli.commands;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longtasks.aws.AwsClients;
import dev.longtasks.cli.CliException;
import dev.longtasks.cli.ExitCodes;
import dev.longtasks.cli.aws.StageEnvironment;
import dev.longtasks.cli.dlq.FailedTask;
import dev.longtasks.cli.dlq.FailureQueue;
import dev.longtasks.cli.dlq.Redrive;
import dev.longtasks.cli.input.TaskIds;
import dev.longtasks.cli.options.OutputOptions;
import dev.longtasks.cli.options.TargetOptions;
import dev.longtasks.cli.output.Table;
import dev.longtasks.config.ServiceSettings;
import dev.longtasks.json.Json;
import dev.longtasks.wiring.TaskSystem;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "redrive", sortOptions = false,
        description = {"Publish task.submitted again for failed tasks that are still open (PENDING or RUNNING), then",
                "delete their records. A task that already ended, or no longer exists, is not republished; its",
                "records are deleted and the line says so. If the read or the publish fails, the records stay.",
                "Prints one line per task: TASK ID, STATUS, ACTION. Exit 3 when --task-id has no record,",
                "5 when a task could not be redriven."},
        footer = {"", "Examples:", "  taskctl dlq redrive --stage prod --region eu-west-1 --all",
                "  taskctl dlq redrive --stage prod --task-id 3f2b8c1e-4d5a-4b6c-9e7f-0a1b2c3d4e5f"})
public final class DlqRedriveCommand extends FailureQueueCommand {
    static final class Selection {
        @Option(names = "--task-id", paramLabel = "ID", required = true, description = "Only this task's records.")
        String taskId;

        @Option(names = "--all", required = true, description = "Every task on the queue.")
        boolean all;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Selection selection;

    @Override
    public Integer call() {
        String only = selection.taskId == null ? null : TaskIds.check(selection.taskId);
        TargetOptions.Aws aws = target.aws();
        try (AwsClients clients = StageEnvironment.clients(aws, target.environment())) {
            FailureQueue queue = queue(clients, aws.stage());
            // The service's own store and publisher: the event goes out exactly as a submit sends it.
            TaskSystem system = TaskSystem.start(ServiceSettings.fromEnv(StageEnvironment.of(aws, target.environment())));
            try {
                return redrive(queue, system, only, aws.stage());
            } finally {
                system.shutdown(Duration.ZERO);
            }
        }
    }

    private int redrive(FailureQueue queue, TaskSystem system, String only, String stage) {
        List<FailureQueue.Message> messages = queue.receiveAll(max);
        List<FailureQueue.Message> deleted = List.of();
        try {
            List<FailedTask> chosen = tasks(messages).stream().filter(t -> only == null || only.equals(t.taskId())).toList();
            if (chosen.isEmpty() && only != null) {
                throw CliException.notFound("no record for task " + only + " on " + queue.url()
                        + " — `taskctl dlq list " + target.flags().strip() + "` shows what is there");
            }
            List<Redrive.Outcome> outcomes = new Redrive(system.store(), system.publisher(), stage).decide(chosen);
            deleted = Redrive.deletable(chosen, outcomes);
            queue.delete(deleted);
            print(outcomes, chosen);
            long republished = outcomes.stream().filter(Redrive.Outcome::republished).count();
            note("republished " + republished + ", deleted " + deleted.size() + " record(s), kept "
                    + (messages.size() - deleted.size()) + " on " + queue.url());
            return outcomes.stream().anyMatch(Redrive.Outcome::failed) ? ExitCodes.CONFIG : ExitCodes.OK;
        } finally {
            List<FailureQueue.Message> rest = new ArrayList<>(messages);
            rest.removeAll(deleted);
            queue.release(rest);
        }
    }

    private void print(List<Redrive.Outcome> outcomes, List<FailedTask> tasks) {
        PrintWriter out = out();
        if (output.isText()) {
            if (!outcomes.isEmpty()) {
                Table t = new Table("TASK ID", "STATUS", "ACTION");
                for (int i = 0; i < outcomes.size(); i++) {
                    Redrive.Outcome o = outcomes.get(i);
                    t.row(dash(o.taskId()), dash(o.status()), action(o, tasks.get(i).records().size()));
                }
                t.print(out);
            }
        } else {
            ArrayNode arr = Json.MAPPER.createArrayNode();
            for (int i = 0; i < outcomes.size(); i++) {
                Redrive.Outcome o = outcomes.get(i);
                ObjectNode n = arr.addObject();
                n.put("task_id", o.taskId());
                n.put("status", o.status());
                n.put("republished", o.republished());
                n.put("records_deleted", o.resolved());
                n.put("records", tasks.get(i).records().size());
                n.put("detail", o.action());
            }
            if (output.format() == OutputOptions.Format.jsonl) {
                arr.forEach(n -> out.println(Json.write(n)));
            } else {
                out.println(Json.write(arr));
            }
        }
        out.flush();
    }

    private static String action(Redrive.Outcome o, int records) {
        return o.resolved() ? o.action() + "; " + records + (records == 1 ? " record" : " records") + " deleted" : o.action();
    }

    private static String dash(String s) {
        return s == null ? "-" : s;
    }
}
