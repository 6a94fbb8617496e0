package dev.rabbitworks.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.rabbitworks.testing.BrokerSettings;

/**
 * Runs the broker-users Job's script, taken from deploy/22-broker-users.yaml as it is, with sh and curl on this
 * machine: the same table, the same script, only the credentials and the virtual host are the test's.
 */
final class SyncUsersJob {

    record Result(int exitCode, String output) {
    }

    private final Path workDir;
    private final BrokerSettings admin;
    private final String vhost;

    /** {@code credentials}: per table user, the username and password the Secret would hold. */
    SyncUsersJob(Path workDir, BrokerSettings admin, String vhost, Map<String, String[]> credentials) {
        this.workDir = workDir;
        this.admin = admin;
        this.vhost = vhost;
        Map<String, String> files = Manifests.configMapData("broker-users");
        try {
            Files.writeString(workDir.resolve("sync-users.sh"), files.get("sync-users.sh"));
            Files.writeString(workDir.resolve("permissions.txt"), files.get(PermissionTable.KEY));
            for (Map.Entry<String, String[]> user : credentials.entrySet()) {
                Path dir = Files.createDirectories(workDir.resolve("credentials").resolve(user.getKey()));
                Files.writeString(dir.resolve("username"), user.getValue()[0]);
                Files.writeString(dir.resolve("password"), user.getValue()[1]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Result run() {
        ProcessBuilder process = new ProcessBuilder("sh", workDir.resolve("sync-users.sh").toString())
                .redirectErrorStream(true).redirectOutput(workDir.resolve("output.log").toFile());
        Map<String, String> env = process.environment();
        env.put("RABBITMQ_MANAGEMENT_URL", "http://" + admin.host() + ":" + admin.managementPort());
        env.put("RABBITMQ_ADMIN_USERNAME", admin.username());
        env.put("RABBITMQ_ADMIN_PASSWORD", admin.password());
        env.put("RABBITMQ_VHOST", vhost);
        env.put("RABBITMQ_CLUSTER_SIZE", "1");
        env.put("PERMISSIONS_FILE", workDir.resolve("permissions.txt").toString());
        env.put("CREDENTIALS_DIR", workDir.resolve("credentials").toString());
        env.put("ATTEMPTS", "5");
        env.put("RETRY_SECONDS", "1");
        // The Job takes these four from the topology ConfigMap.
        Map<String, String> topology = Manifests.configMapData(Topology.CONFIG_MAP);
        for (String key : new String[] { "TOPOLOGY_TASK_QUEUE", "TOPOLOGY_DEAD_LETTER_EXCHANGE",
                "TOPOLOGY_DEAD_LETTER_QUEUE", "TOPOLOGY_TASK_DELIVERY_LIMIT" }) {
            env.put(key, topology.get(key));
        }
        try {
            Process started = process.start();
            started.getOutputStream().close();
            if (!started.waitFor(60, TimeUnit.SECONDS)) {
                started.destroyForcibly();
                throw new IllegalStateException("sync-users.sh did not finish within 60 s");
            }
            String output = Files.readString(workDir.resolve("output.log"), StandardCharsets.UTF_8);
            return new Result(started.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run sh (and curl) for sync-users.sh", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
