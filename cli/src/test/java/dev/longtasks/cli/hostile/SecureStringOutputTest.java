package dev.longtasks.cli.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longtasks.cli.CliRun;
import dev.longtasks.cli.fakes.StsFake;
import dev.longtasks.testing.SsmFake;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SecureString parameter values are secrets: no taskctl command prints them, in any output format
 * or in an error, unless --show-values asks for them.
 */
class SecureStringOutputTest {
    static final String OLD_SECRET = "OLD-SECRET-4f1d2a";
    static final String NEW_SECRET = "NEW-SECRET-9b7c3e";
    SsmFake ssm;
    StsFake sts;
    Map<String, String> env;

    @BeforeEach
    void stage() {
        ssm = new SsmFake();
        ssm.pageSize(2); // three parameters: the client has to follow NextToken
        sts = new StsFake();
        ssm.put("/staging/v1/sns/system_event_topic_name", "SecureString", OLD_SECRET + "-topic");
        ssm.put("/staging/v1/sns/system_event_topic_arn", "SecureString", "arn:aws:sns:us-east-1:123456789012:" + OLD_SECRET);
        ssm.put("/staging/v1/tables/long_running_tasks_table", "SecureString", OLD_SECRET + "-table");
        env = CliRun.awsEnv(Map.of("ssm", ssm.endpoint().toString(), "sts", sts.url().toString()));
    }

    @AfterEach
    void stop() {
        ssm.close();
        sts.close();
    }

    CliRun.Result taskctl(String... args) {
        return CliRun.run(env, "", args);
    }

    static List<String> withFormats(String... args) {
        List<String> all = new ArrayList<>();
        for (String format : new String[] {"text", "json", "jsonl"}) {
            all.add(String.join(" ", args) + " -o " + format);
        }
        return all;
    }

    @Test
    void no_command_prints_a_secure_string_value_without_show_values() {
        List<String> commands = new ArrayList<>();
        commands.addAll(withFormats("params", "--stage", "staging"));
        commands.add("params --stage staging --export");
        commands.addAll(withFormats("setup-params", "--stage", "staging", "--type", "SecureString", "--dry-run",
                "--table-name", NEW_SECRET + "-table", "--topic-name", NEW_SECRET + "-topic", "--account", "123456789012"));
        commands.add("setup-params --stage staging --type SecureString --table-name " + NEW_SECRET + "-table");
        commands.add("setup-params --stage staging --type SecureString --overwrite --table-name " + NEW_SECRET + "-table"
                + " --topic-name " + NEW_SECRET + "-topic --account 123456789012");
        for (String command : commands) {
            CliRun.Result r = taskctl(command.split(" "));
            String shown = r.out() + r.err();
            assertThat(shown).as("%s (exit %d)", command, r.code()).doesNotContain(OLD_SECRET).doesNotContain(NEW_SECRET);
        }
    }

    @Test
    void export_of_a_secure_string_needs_show_values() {
        CliRun.Result refused = taskctl("params", "--stage", "staging", "--export");
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.out()).isEmpty();
        assertThat(refused.err()).isEqualTo("taskctl: /staging/v1/sns/system_event_topic_arn is a SecureString: "
                + "add --show-values to export its value\n");
        CliRun.Result asked = taskctl("params", "--stage", "staging", "--export", "--show-values");
        assertThat(asked.code()).as(asked.err()).isZero();
        assertThat(asked.out()).contains("export TASKS_TABLE='" + OLD_SECRET + "-table'");
    }

    @Test
    void show_values_does_print_them() {
        CliRun.Result r = taskctl("params", "--stage", "staging", "--show-values");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains(OLD_SECRET + "-table");
    }

    @Test
    void the_values_really_are_there_to_leak() {
        CliRun.Result r = taskctl("params", "--stage", "staging");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("/staging/v1/tables/long_running_tasks_table").contains("****");
    }
}
