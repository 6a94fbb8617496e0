package dev.rabbitworks.subscriber.it;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasEntry;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.rabbitmq.client.AMQP;

import io.quarkus.test.junit.QuarkusTest;

/** Bodies are shown as text whatever the publisher says, or does not say, about their content type. */
@QuarkusTest
class BodyDecodingTest {

    @RegisterExtension
    static final SubscribedService SERVICE = new SubscribedService();

    @Test
    void aPlainTextBodyWithoutContentTypeIsShownAsText() {
        String body = "as pika sends it, no content type " + UUID.randomUUID();

        SERVICE.broker().publish(Topology.fanoutExchange(), "", new AMQP.BasicProperties(),
                body.getBytes(StandardCharsets.UTF_8));

        assertThat(ShownLogs.awaitBody(body), not(hasKey("messageId")));
    }

    @Test
    void aJsonBodyIsShownVerbatimWithItsMessageId() {
        String id = UUID.randomUUID().toString();
        String body = "{\"taskId\": \"" + id + "\",  \"outcome\": \"completed\"}";
        AMQP.BasicProperties json = new AMQP.BasicProperties.Builder()
                .contentType("application/json").messageId(id).deliveryMode(2).build();

        SERVICE.broker().publish(Topology.topicExchange(), "task.completed", json,
                body.getBytes(StandardCharsets.UTF_8));

        assertThat(ShownLogs.awaitBody(body), hasEntry("messageId", (Object) id));
    }

    @Test
    void aBodyThatIsNotWhatItsContentTypeSaysIsShownAsText() {
        String body = "{ not json " + UUID.randomUUID();
        AMQP.BasicProperties claimsJson = new AMQP.BasicProperties.Builder().contentType("application/json").build();

        SERVICE.broker().publish(Topology.fanoutExchange(), "", claimsJson, body.getBytes(StandardCharsets.UTF_8));

        ShownLogs.awaitBody(body);
    }

    @Test
    void aBodyWithAContentEncodingIsShownAsItsBytesDecoded() {
        String body = "claims gzip " + UUID.randomUUID();
        AMQP.BasicProperties gzip = new AMQP.BasicProperties.Builder().contentType("text/plain")
                .contentEncoding("gzip").build();

        SERVICE.broker().publish(Topology.fanoutExchange(), "", gzip, body.getBytes(StandardCharsets.UTF_8));

        ShownLogs.awaitBody(body);
    }

    @Test
    void invalidUtf8IsShownWithReplacementCharactersAndTheStreamGoesOn() {
        String marker = UUID.randomUUID().toString();
        byte[] prefix = (marker + " ").getBytes(StandardCharsets.US_ASCII);
        byte[] body = new byte[prefix.length + 2];
        System.arraycopy(prefix, 0, body, 0, prefix.length);
        body[prefix.length] = (byte) 0xC3; // a lead byte without its continuation
        body[prefix.length + 1] = (byte) 0xFF; // never valid in UTF-8
        AMQP.BasicProperties claimsText = new AMQP.BasicProperties.Builder().contentType("text/plain").build();

        SERVICE.broker().publish(Topology.fanoutExchange(), "", claimsText, body);

        ShownLogs.awaitBody(marker + " \uFFFD\uFFFD");
        String after = "after invalid " + UUID.randomUUID();
        SERVICE.publishText(Topology.fanoutExchange(), "", after);
        ShownLogs.awaitBody(after);
    }
}
