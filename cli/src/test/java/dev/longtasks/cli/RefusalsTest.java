package dev.longtasks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longtasks.task.InvalidTaskInputException;
import dev.longtasks.task.UnknownTaskTypeException;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The one wording of what taskctl prints when the service refuses a request. */
class RefusalsTest {
    static final UnknownTaskTypeException UNKNOWN = new UnknownTaskTypeException("nope", Set.of("example"));
    static final InvalidTaskInputException INVALID = new InvalidTaskInputException("'data.steps' must be an integer from 1 to 10000");

    @Nested
    class Problem_answers_of_the_http_api {
        @Test
        void an_input_error_shows_the_detail_after_the_status_and_exits_2() {
            CliException e = Refusals.problem("submit", 400,
                    "{\"type\":\"https://x/unknown-task-type\",\"title\":\"Unknown task type\",\"detail\":\"unknown task type 'nope'\"}");

            assertThat(e.getMessage()).isEqualTo("submit failed: HTTP 400 — unknown task type 'nope'");
            assertThat(e.exitCode()).isEqualTo(ExitCodes.USAGE);
        }

        @Test
        void without_a_detail_the_title_is_shown() {
            CliException e = Refusals.problem("cancel", 409, "{\"title\":\"Task already finished\"}");

            assertThat(e.getMessage()).isEqualTo("cancel failed: HTTP 409 — Task already finished");
            assertThat(e.exitCode()).isEqualTo(ExitCodes.USAGE);
        }

        @Test
        void a_body_that_is_not_json_leaves_only_the_status() {
            CliException e = Refusals.problem("status", 502, "<html>Bad Gateway</html>");

            assertThat(e.getMessage()).isEqualTo("status failed: HTTP 502");
            assertThat(e.exitCode()).isEqualTo(ExitCodes.CONFIG);
        }

        @Test
        void not_found_exits_3() {
            assertThat(Refusals.problem("status", 404, "{}").exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        }
    }

    @Nested
    class Refusals_of_the_task_service {
        @Test
        void an_unknown_type_lists_the_known_ones_and_the_flag_that_picks_one() {
            CliException e = Refusals.refused(UNKNOWN, 0, Refusals.NOTHING_SUBMITTED);

            assertThat(e.getMessage()).isEqualTo("unknown task type 'nope'; known types: example — pick one with --type"
                    + " — nothing was submitted");
            assertThat(e.exitCode()).isEqualTo(ExitCodes.USAGE);
        }

        @Test
        void an_unknown_type_in_a_batch_names_no_line_because_it_holds_for_every_line() {
            assertThat(Refusals.refused(UNKNOWN, 3, Refusals.NOTHING_SUBMITTED).getMessage())
                    .isEqualTo(Refusals.refused(UNKNOWN, 0, Refusals.NOTHING_SUBMITTED).getMessage());
        }

        @Test
        void invalid_data_gives_the_handlers_reason() {
            assertThat(Refusals.refused(INVALID, 0, Refusals.NOTHING_CREATED).getMessage())
                    .isEqualTo("invalid task data: 'data.steps' must be an integer from 1 to 10000 — nothing was created");
        }

        @Test
        void invalid_data_in_a_batch_names_its_line() {
            assertThat(Refusals.refused(INVALID, 2, Refusals.NOTHING_SUBMITTED).getMessage())
                    .isEqualTo("invalid task data on line 2: 'data.steps' must be an integer from 1 to 10000 — nothing was submitted");
        }
    }
}
