package dev.longtasks.cli.doctor;

import dev.longtasks.aws.AwsClients;
import dev.longtasks.aws.SsmParameters;
import dev.longtasks.cli.aws.StageNames;
import dev.longtasks.store.DynamoDbTaskStore;
import dev.longtasks.task.ReconcilerSettings;
import dev.longtasks.task.TaskStoreException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.sns.model.NotFoundException;
import software.amazon.awssdk.services.sns.model.Subscription;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.ParameterType;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/** The checks of {@code taskctl doctor}, each against the real AWS API (or an emulator). */
public final class StageChecks {
    public enum State { PASS, FAIL, SKIP }

    /** The open-task index the reconciler reads (serverless.yml). */
    static final String OPEN_INDEX = "open-due";
    /** The listing index of ls, top, GET /v1/tasks and the dashboard (serverless.yml). */
    static final String RECENT_INDEX = "recent";
    private static final int OVERDUE_LIMIT = 1000;

    public record Check(String name, State state, String detail, String hint) {
        public static Check pass(String name, String detail) {
            return new Check(name, State.PASS, detail, null);
        }

        public static Check fail(String name, String detail, String hint) {
            return new Check(name, State.FAIL, detail, hint);
        }

        public static Check skip(String name, String why) {
            return new Check(name, State.SKIP, "skipped: " + why, null);
        }
    }

    private final AwsClients clients;
    private final StageNames names;
    private final String listenerFunction;
    private final String apiFunction;

    public StageChecks(AwsClients clients, StageNames names, String listenerFunction, String apiFunction) {
        this.clients = clients;
        this.names = names;
        this.listenerFunction = listenerFunction;
        this.apiFunction = apiFunction;
    }

    /** The deploy command for this stage, in the region the checks run in. */
    private String deploy() {
        return names.deployCommand(clients.region().id());
    }

    public static String brief(SdkException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl > 0 ? m.substring(0, nl) : m;
    }

    public Check credentials() {
        String region = clients.region().id();
        try {
            GetCallerIdentityResponse me = clients.sts().getCallerIdentity();
            return Check.pass("credentials", "account " + me.account() + " as " + me.arn() + ", region " + region);
        } catch (SdkException e) {
            return Check.fail("credentials", brief(e), "set AWS_PROFILE or pass --profile, and --region");
        }
    }

    /** One line per parameter, so a missing one is named with the command that fixes it. */
    public Map<String, Parameter> parameters(List<Check> into) {
        Map<String, Parameter> found = SsmParameters.byPath(clients.ssm(), names.pathPrefix());
        for (String n : List.of(names.topicNameParameter(), names.topicArnParameter(), names.tableNameParameter())) {
            Parameter p = found.get(n);
            into.add(p == null
                    ? Check.fail("parameter " + n, "missing", "run `taskctl setup-params --stage " + names.stage() + "`")
                    : Check.pass("parameter " + n, p.type() == ParameterType.SECURE_STRING
                    ? "present (SecureString)" : p.value()));
        }
        return found;
    }

    public Check topic(String arn) {
        try {
            clients.sns().getTopicAttributes(r -> r.topicArn(arn));
            return Check.pass("topic", arn + " exists");
        } catch (NotFoundException e) {
            return Check.fail("topic", arn + " does not exist", "deploy the stage (" + deploy()
                    + ") or fix the parameter with `taskctl setup-params --overwrite`");
        }
    }

    public Check table(String name) {
        DynamoDbClient ddb = clients.dynamoDb();
        try {
            TableDescription t = ddb.describeTable(r -> r.tableName(name)).table();
            List<String> problems = new ArrayList<>();
            String hash = t.keySchema().stream().filter(k -> k.keyType() == KeyType.HASH)
                    .map(KeySchemaElement::attributeName).findFirst().orElse("?");
            if (!"task_id".equals(hash)) {
                problems.add("hash key is '" + hash + "', not 'task_id'");
            }
            String ttl = ttlProblem(ddb, name);
            if (ttl != null) {
                problems.add(ttl);
            }
            if (!t.hasGlobalSecondaryIndexes() || t.globalSecondaryIndexes().stream()
                    .noneMatch(i -> OPEN_INDEX.equals(i.indexName()))) {
                problems.add("no index " + OPEN_INDEX + " (the reconciler cannot find open tasks)");
            }
            if (!t.hasGlobalSecondaryIndexes() || t.globalSecondaryIndexes().stream()
                    .noneMatch(i -> RECENT_INDEX.equals(i.indexName()))) {
                problems.add("no index " + RECENT_INDEX + " (ls, top and GET /v1/tasks cannot list tasks)");
            }
            return problems.isEmpty() ? Check.pass("table", name + " exists, hash key task_id, TTL on ttl, indexes "
                    + OPEN_INDEX + " and " + RECENT_INDEX)
                    : Check.fail("table", name + ": " + String.join("; ", problems), "the table must come from serverless.yml");
        } catch (ResourceNotFoundException e) {
            return Check.fail("table", name + " does not exist", "deploy the stage, or fix the parameter with `taskctl setup-params --overwrite`");
        }
    }

    /**
     * Open tasks the reconciler should have moved on more than one of its intervals ago: none when
     * the scheduled {@code reconciler} function runs. Reads the index only (a Query per shard).
     */
    public Check overdue(String table) {
        DynamoDbTaskStore store = DynamoDbTaskStore.builder().client(clients.dynamoDb()).tableName(table).build();
        Instant dueBy = Instant.now().minus(ReconcilerSettings.DEFAULTS.interval());
        try {
            int n = store.dueTasks(dueBy, OVERDUE_LIMIT).size();
            String count = n >= OVERDUE_LIMIT ? "at least " + n : Integer.toString(n);
            return n == 0 ? Check.pass("overdue tasks", "none (open tasks are all due within the reconciler's minute)")
                    : Check.fail("overdue tasks", count + " open task(s) overdue by more than "
                    + ReconcilerSettings.DEFAULTS.interval().toSeconds() + " s",
                    "the reconciler is not keeping up or not running: check the " + names.stage()
                            + " reconciler function's schedule and logs");
        } catch (TaskStoreException e) {
            return Check.fail("overdue tasks", "cannot read the index " + OPEN_INDEX + ": " + e.getMessage(),
                    "deploy the stage so the table gets its index (`npx osls deploy --stage " + names.stage() + "`)");
        }
    }

    private static String ttlProblem(DynamoDbClient ddb, String table) {
        try {
            TimeToLiveDescription d = ddb.describeTimeToLive(r -> r.tableName(table)).timeToLiveDescription();
            if (d == null || d.timeToLiveStatus() != TimeToLiveStatus.ENABLED) {
                return "TTL is " + (d == null ? "not set" : d.timeToLiveStatusAsString()) + " (needs ENABLED on 'ttl')";
            }
            return "ttl".equals(d.attributeName()) ? null : "TTL is on '" + d.attributeName() + "', not 'ttl'";
        } catch (SdkException e) {
            return "TTL setting unreadable: " + brief(e);
        }
    }

    public Check subscription(String topicArn) {
        List<Subscription> subs = clients.sns().listSubscriptionsByTopicPaginator(r -> r.topicArn(topicArn))
                .subscriptions().stream().toList();
        boolean listener = subs.stream().anyMatch(s -> "lambda".equals(s.protocol())
                && s.endpoint() != null && s.endpoint().contains(":function:" + listenerFunction));
        return listener ? Check.pass("subscription", listenerFunction + " is subscribed to the topic")
                : Check.fail("subscription", listenerFunction + " is not subscribed (" + subs.size() + " other subscription(s))",
                "tasks will stay PENDING; deploy the stage with " + deploy());
    }

    public Check functions() {
        List<String> missing = new ArrayList<>();
        LambdaClient lambda = clients.lambda();
        for (String f : List.of(apiFunction, listenerFunction)) {
            try {
                lambda.getFunction(r -> r.functionName(f));
            } catch (software.amazon.awssdk.services.lambda.model.ResourceNotFoundException e) { // DynamoDB's has the same name
                missing.add(f);
            }
        }
        return missing.isEmpty() ? Check.pass("functions", apiFunction + ", " + listenerFunction + " exist")
                : Check.fail("functions", "missing: " + String.join(", ", missing),
                "deploy with " + deploy() + " or name them with --api-function/--listener-function");
    }
}
