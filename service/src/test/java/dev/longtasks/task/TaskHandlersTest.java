package dev.longtasks.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.longtasks.handlers.BuiltInHandlers;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class TaskHandlersTest {
    @Nested
    class ExtraHandlerClasses {
        @Test
        void named_classes_are_added_to_the_built_in_types() {
            TaskHandlers h = BuiltInHandlers.all().withClasses(" dev.longtasks.local.RedisCountingHandler ");
            assertThat(h.types()).containsExactly("example", "noop", "http-check", "count");
        }

        @Test
        void blank_adds_nothing() {
            assertThat(BuiltInHandlers.all().withClasses(" ").types()).containsExactly("example", "noop", "http-check");
        }

        @Test
        void a_missing_class_is_named() {
            assertThatThrownBy(() -> BuiltInHandlers.all().withClasses("com.acme.Missing"))
                    .hasMessage("TASKS_HANDLER_CLASSES: class com.acme.Missing is not on the classpath");
        }

        @Test
        void a_class_that_is_not_a_handler_is_refused() {
            assertThatThrownBy(() -> BuiltInHandlers.all().withClasses("java.lang.String"))
                    .hasMessage("TASKS_HANDLER_CLASSES: java.lang.String does not implement dev.longtasks.task.TaskHandler");
        }

        @Test
        void a_type_that_is_already_registered_is_refused() {
            assertThatThrownBy(() -> BuiltInHandlers.all().withClasses("dev.longtasks.handlers.NoopHandler"))
                    .hasMessage("two handlers for task type 'noop'");
        }
    }
}
