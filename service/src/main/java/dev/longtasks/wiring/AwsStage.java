package dev.longtasks.wiring;

import dev.longtasks.config.ServiceSettings.BusKind;
import dev.longtasks.config.ServiceSettings.Role;
import dev.longtasks.config.ServiceSettings.StoreKind;
import java.util.HashMap;
import java.util.Map;

/**
 * The one rule for a deployed stage, shared by the Lambda functions and {@code taskctl}: any
 * {@code API_STAGE} other than {@code local} runs on DynamoDB + SNS with the stage's names from
 * SSM, and the process that serves or submits never runs a worker pool: the listener Lambda runs
 * the tasks, so an SQS queue ({@code TASKS_QUEUE_URL}) is dropped.
 */
public final class AwsStage {
    public static final String LOCAL = "local";

    private AwsStage() {
    }

    /** True when {@code API_STAGE} is set and is not {@code local}. */
    public static boolean isAwsStage(Map<String, String> env) {
        String stage = env.get("API_STAGE");
        return stage != null && !stage.isBlank() && !LOCAL.equals(stage.trim());
    }

    /** The environment with the stage's backends forced; unchanged (a copy) for the local stage. */
    public static Map<String, String> environment(Map<String, String> env) {
        Map<String, String> e = new HashMap<>(env);
        if (isAwsStage(env)) {
            e.put("TASKS_STORE", StoreKind.DYNAMODB.toString());
            e.put("TASKS_BUS", BusKind.SNS.toString());
            e.put("TASKS_ROLE", Role.API.toString());
            e.remove("TASKS_QUEUE_URL");
        }
        return e;
    }
}
