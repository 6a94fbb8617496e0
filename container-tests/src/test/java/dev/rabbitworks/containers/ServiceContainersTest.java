package dev.rabbitworks.containers;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import com.fasterxml.jackson.databind.JsonNode;

import dev.rabbitworks.testing.BrokerSettings;
import dev.rabbitworks.testing.ManagementApi;

/**
 * Smoke test of the four images: started with a broker in one Podman pod, configured only through the environment,
 * they do a task, deliver a log message and answer an RPC call, all through the producer's HTTP API.
 */
@ExtendWith(ContainerTestsSwitch.class)
class ServiceContainersTest {

    static final List<String> SERVICES = ServiceImage.SERVICES;
    static final Duration STARTUP = Duration.ofMinutes(3);

    static SmokeStack stack;
    static ManagementApi management;

    @BeforeAll
    static void startTheImagesWithABroker() {
        List<ServiceImage> images = ServiceImage.all();
        ServiceImagesTest.requireImages(images);
        stack = new SmokeStack(images);
        stack.start();
        management = new ManagementApi(new BrokerSettings("127.0.0.1", 5672, stack.brokerUser,
                stack.brokerPassword, stack.virtualHost, stack.managementPort));
        for (String service : SERVICES) {
            await(service + " ready").atMost(STARTUP).pollInterval(Duration.ofMillis(500))
                    .failFast(service + " container exited", () -> !running(service))
                    .until(() -> Http.status(stack.url(service, "/q/health/ready")) == 200);
        }
    }

    @AfterAll
    static void removeEverything() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aTaskPostedToTheProducerIsDoneByTheWorkerWhoseEventReachesTheLogSubscriber() {
        HttpResponse<String> accepted = Http.postText(stack.url("producer-service", "/tasks"),
                "smoke task " + UUID.randomUUID() + "..");
        assertEquals(202, accepted.statusCode(), accepted.body());
        String taskId = Http.json(accepted).path("id").asText();

        JsonNode event = await("task.completed event of " + taskId).atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> recentLogs().stream()
                        .filter(log -> log.path("routingKey").asText().equals("task.completed"))
                        .map(log -> Http.parse(log.path("body").asText()))
                        .filter(body -> body.path("taskId").asText().equals(taskId)).findFirst().orElse(null),
                        found -> found != null);
        assertEquals("completed", event.path("outcome").asText(), event.toString());
        assertEquals(1, event.path("attempt").asInt(), event.toString());
    }

    @Test
    void aLogMessagePostedToTheProducerReachesTheLogSubscriber() {
        String text = "smoke log " + UUID.randomUUID();
        HttpResponse<String> accepted = Http.postText(stack.url("producer-service", "/logs/error"), text);
        assertEquals(202, accepted.statusCode(), accepted.body());
        assertTrue(Http.json(accepted).path("routed").asBoolean(), "the log subscriber's queue took it");

        await("log message in GET /logs").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> recentLogs().stream().anyMatch(log -> log.path("body").asText().equals(text)
                        && log.path("exchange").asText().equals("direct_logs")
                        && log.path("routingKey").asText().equals("error")));
    }

    @Test
    void anRpcCallThroughTheProducerIsAnsweredByTheRpcService() {
        HttpResponse<String> answer = Http.postText(stack.url("producer-service", "/rpc/fib"), "30");
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("832040", answer.body().strip());
    }

    /** The only user and virtual host of this broker are the non-default ones the containers were given. */
    @Test
    void theBrokerHasNoDefaultUserOrVirtualHostTheServicesCouldFallBackTo() {
        List<String> users = new ArrayList<>();
        management.get("/users").forEach(user -> users.add(user.path("name").asText()));
        List<String> vhosts = new ArrayList<>();
        management.get("/vhosts").forEach(vhost -> vhosts.add(vhost.path("name").asText()));
        assertEquals(List.of(stack.brokerUser), users);
        assertEquals(List.of(stack.virtualHost), vhosts);
    }

    @ParameterizedTest
    @FieldSource("SERVICES")
    void theServiceConnectedWithTheBrokerSettingsOfItsEnvironment(String service) {
        // The management API lists a connection only once the broker emitted its first statistics (every 5 s).
        List<JsonNode> connections = await(service + " listed among the broker's connections")
                .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> connectionsOf(service), found -> !found.isEmpty());
        for (JsonNode connection : connections) {
            assertEquals(stack.brokerUser, connection.path("user").asText(), connection.path("name").asText());
            assertEquals(stack.virtualHost, connection.path("vhost").asText(), connection.path("name").asText());
        }
    }

    /** The JVM (the container's process 1, from the image's entrypoint) runs as the image's non-root user. */
    @ParameterizedTest
    @FieldSource("SERVICES")
    void theServiceRunsAsTheImagesNonRootUser(String service) {
        ServiceImage image = ServiceImage.of(service);
        String container = stack.containerName(service);
        String status = Podman.run("exec", container, "cat", "/proc/1/status").orFail();
        String uids = status.lines().filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow().substring(4).strip();
        List<String> real = List.of(uids.split("\\s+"));
        assertEquals(List.of(image.user(), image.user(), image.user(), image.user()), real, "uids of process 1");
        assertNotEquals("0", image.user());
        assertEquals(image.user(), Podman.run("exec", container, "id", "-u").orFail(), "id -u");
        String command = Podman.run("exec", container, "cat", "/proc/1/cmdline").orFail();
        assertTrue(command.startsWith("java"), "process 1 is the JVM: " + command);
    }

    private static List<JsonNode> connectionsOf(String service) {
        return StreamSupport.stream(management.get("/connections").spliterator(), false)
                .filter(c -> c.path("client_properties").path("connection_name").asText().startsWith(service))
                .toList();
    }

    private static List<JsonNode> recentLogs() {
        HttpResponse<String> response = Http.get(stack.url("log-subscriber-service", "/logs?limit=100"));
        assertEquals(200, response.statusCode(), response.body());
        List<JsonNode> logs = new ArrayList<>();
        Http.json(response).forEach(logs::add);
        return logs;
    }

    private static boolean running(String service) {
        Podman.Result state = Podman.run("inspect", "--format", "{{.State.Running}}", stack.containerName(service));
        return state.ok() && state.out().strip().equals("true");
    }
}
