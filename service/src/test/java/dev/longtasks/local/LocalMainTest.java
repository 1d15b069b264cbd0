package dev.longtasks.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longtasks.testing.Systems;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** What a user sees when the local service cannot start. */
class LocalMainTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Nested
    class Refusing {
        @Test
        void a_port_that_is_not_a_number_exits_2_with_one_line() {
            int code = LocalMain.run(Systems.env("PORT", "abc"), errStream);

            assertThat(code).isEqualTo(2);
            assertThat(stderr()).isEqualTo("error: PORT=abc is not a whole number" + System.lineSeparator());
        }

        @Test
        void a_bad_grace_period_exits_2() {
            int code = LocalMain.run(Systems.env("TASKS_SHUTDOWN_GRACE_SECONDS", "-1"), errStream);

            assertThat(code).isEqualTo(2);
            assertThat(stderr()).contains("TASKS_SHUTDOWN_GRACE_SECONDS=-1");
        }

        @Test
        void an_http_limit_out_of_range_exits_2_with_one_line() {
            int code = LocalMain.run(Systems.env("PORT", "0", "TASKS_HTTP_MAX_HEADERS", "5"), errStream);

            assertThat(code).isEqualTo(2);
            assertThat(stderr()).isEqualTo("error: TASKS_HTTP_MAX_HEADERS=5 is out of range; use 8..10000" + System.lineSeparator());
        }

        @Test
        void a_port_in_use_exits_5_and_says_so() throws Exception {
            try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int code = LocalMain.run(Systems.env("PORT", Integer.toString(taken.getLocalPort())), errStream);

                assertThat(code).isEqualTo(5);
                assertThat(stderr()).startsWith("error: cannot listen").contains("set PORT to another one");
            }
        }
    }
}
