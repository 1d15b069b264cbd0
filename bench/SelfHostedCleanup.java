import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.longtasks.events.RabbitMqSettings;
import java.net.URI;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** Deletes what one benchmark run created: its Redis keys, its exchanges and queues. */
public class SelfHostedCleanup {
    public static void main(String[] args) throws Exception {
        String run = args[0];
        String redisUrl = env("REDIS_URL", "redis://127.0.0.1:6379");
        try (RedisClient redis = RedisClient.create(URI.create(redisUrl))) {
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = redis.scan(cursor, new ScanParams().match(run + ":*").count(1000));
                if (!page.getResult().isEmpty()) {
                    redis.del(page.getResult().toArray(String[]::new));
                }
                cursor = page.getCursor();
            } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
        }
        ConnectionFactory f = new ConnectionFactory();
        f.setUri(env("AMQP_URL", "amqp://guest:guest@127.0.0.1:5672"));
        RabbitMqSettings names = RabbitMqSettings.defaults().withNames(run + ".events", run + ".tasks");
        try (Connection c = f.newConnection(); Channel ch = c.createChannel()) {
            for (String q : names.queues()) {
                ch.queueDelete(q);
            }
            ch.exchangeDelete(names.exchange());
            ch.exchangeDelete(names.deadLetterExchange());
        }
    }

    private static String env(String name, String dflt) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? dflt : v;
    }
}
