package dev.longtasks.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class RouterTest {
    private static final Router.Handler H = (req, params) -> new HttpResponse(200, Map.of(), null);

    private final Router router = new Router()
            .add("POST", "/v1/tasks", H)
            .add("GET", "/v1/tasks/{task_id}", H)
            .add("DELETE", "/v1/tasks/{task_id}", H);

    @Nested
    class Matching {
        @Test
        void a_literal_path_and_method_are_found() {
            assertThat(router.find("POST", "/v1/tasks")).isInstanceOf(Router.Match.Found.class);
        }

        @Test
        void a_pattern_captures_its_parameter() {
            var m = (Router.Match.Found) router.find("DELETE", "/v1/tasks/abc");

            assertThat(m.params()).containsEntry("task_id", "abc");
            assertThat(m.route().method()).isEqualTo("DELETE");
        }

        @Test
        void an_empty_segment_does_not_match_a_parameter() {
            assertThat(router.find("GET", "/v1/tasks/")).isInstanceOf(Router.Match.NotFound.class);
        }

        @Test
        void extra_segments_do_not_match() {
            assertThat(router.find("GET", "/v1/tasks/abc/def")).isInstanceOf(Router.Match.NotFound.class);
        }
    }

    @Nested
    class Refusing {
        @Test
        void a_known_path_with_another_method_lists_the_allowed_methods() {
            var m = (Router.Match.MethodNotAllowed) router.find("PUT", "/v1/tasks/abc");

            assertThat(m.allowed()).containsExactly("GET", "DELETE");
        }

        @Test
        void an_unknown_path_is_not_found() {
            assertThat(router.find("GET", "/v1/nothing")).isInstanceOf(Router.Match.NotFound.class);
        }

        @Test
        void methods_for_a_path_serve_the_preflight() {
            assertThat(router.methodsFor("/v1/tasks")).containsExactly("POST");
            assertThat(router.methodsFor("/v2")).isEmpty();
        }
    }
}
