package dev.rabbitworks.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;

import dev.rabbitworks.deploy.FirstTimeSecrets.Run;
import dev.rabbitworks.deploy.Workloads.Workload;

/**
 * deploy/ applied again keeps the cluster's Secrets: deploy/ holds none; deploy/create-secrets.sh, the one-time
 * step, makes every Secret the manifests use, with random values, and run again replaces none of them.
 */
class FirstTimeSecretsTest {

    @TempDir
    Path dir;

    @Test
    void deployHoldsNoSecret() {
        List<String> secrets = new ArrayList<>();
        for (Manifest m : concat(Manifests.deploy(), Manifests.optional())) {
            if (m.object() instanceof Secret || m.kind().equals("Secret")) {
                secrets.add(m.where());
            }
        }
        assertEquals(List.of(), secrets, "kubectl apply -f deploy would put these values back over a rotated password"
                + " or the cluster's Erlang cookie: create them in deploy/" + FirstTimeSecrets.SCRIPT);
    }

    @Test
    void theScriptIsOneKubectlApplyDoesNotRead() {
        Path script = Project.deployDir().resolve(FirstTimeSecrets.SCRIPT);
        assertTrue(Files.isRegularFile(script), script.toString());
        assertTrue(Files.isExecutable(script), script + " is not executable");
        String name = script.getFileName().toString();
        assertFalse(name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json"),
                "kubectl apply -f deploy reads *.yaml, *.yml and *.json");
    }

    @Test
    void aFirstRunMakesTheNamespaceAndEverySecretTheManifestsUseAndNoOther() {
        FirstTimeSecrets cluster = new FirstTimeSecrets(dir);
        Run run = cluster.run();
        assertEquals(0, run.exitCode(), run.output());
        assertEquals(List.of(Project.deployDir().resolve("00-namespace.yaml").toString()), cluster.applied(),
                "the namespace first, from deploy/ (with its labels)");
        assertTrue(run.calls().get(0).startsWith("apply -f "), "the namespace before any Secret: " + run.calls());

        Map<String, Set<String>> used = referenced();
        Map<String, Map<String, String>> made = cluster.secrets();
        assertEquals(used.keySet(), made.keySet(), "Secrets the manifests use (deploy/ and deploy/optional/)");
        used.forEach((name, keys) -> assertTrue(made.get(name).keySet().containsAll(keys),
                name + " has " + made.get(name).keySet() + ", the manifests read " + keys));
        cluster.labels().forEach((name, labels) -> assertEquals("rabbitworks", labels.get("app.kubernetes.io/part-of"),
                name));
        assertEquals(made.keySet(), cluster.labels().keySet(), "every Secret labelled");
    }

    @Test
    void valuesAreRandomAndNoDefaultIsLeft() throws Exception {
        FirstTimeSecrets one = new FirstTimeSecrets(Files.createDirectories(dir.resolve("one")));
        FirstTimeSecrets two = new FirstTimeSecrets(Files.createDirectories(dir.resolve("two")));
        assertEquals(0, one.run().exitCode());
        assertEquals(0, two.run().exitCode());
        List<String> problems = new ArrayList<>();
        one.secrets().forEach((name, data) -> data.forEach((key, value) -> {
            if (key.equals("username")) {
                return;
            }
            if (!value.matches("[0-9a-f]{48,}")) {
                problems.add(name + "." + key + " is not 24 random bytes or more in hex: " + value);
            }
            if (value.equals(two.secrets().get(name).get(key))) {
                problems.add(name + "." + key + " is the same on two clusters");
            }
        }));
        assertEquals(List.of(), problems);
        Set<String> users = new TreeSet<>();
        one.secrets().forEach((name, data) -> {
            if (name.startsWith("rabbitmq-user-")) {
                assertEquals(name.substring("rabbitmq-user-".length()), data.get("username"), name);
                users.add(data.get("username"));
            }
        });
        assertEquals(PermissionTable.fromDeploy().keySet(), users, "one Secret per user of the permission table");
    }

    @Test
    void runningItAgainChangesNoSecret() {
        FirstTimeSecrets cluster = new FirstTimeSecrets(dir);
        assertEquals(0, cluster.run().exitCode());
        Map<String, Map<String, String>> first = cluster.secrets();

        Run again = cluster.run();
        assertEquals(0, again.exitCode(), again.output());
        assertEquals(first, cluster.secrets(), "values after a second run");
        List<String> writes = again.calls().stream().filter(call -> !call.startsWith("apply -f ")
                && !call.matches("-n " + Manifests.NAMESPACE + " get secret \\S+ --ignore-not-found -o name")).toList();
        assertEquals(List.of(), writes, "a second run only looks");
    }

    @Test
    void aSecretMadeByHandOrRotatedIsKeptAndOnlyAMissingOneIsMade() {
        FirstTimeSecrets cluster = new FirstTimeSecrets(dir);
        Map<String, String> rotated = Map.of("username", "producer", "password", "rotated-by-the-operator");
        cluster.put("rabbitmq-user-producer", rotated);
        Run run = cluster.run();
        assertEquals(0, run.exitCode(), run.output());
        assertEquals(rotated, cluster.secrets().get("rabbitmq-user-producer"));
        assertTrue(run.output().contains("secret/rabbitmq-user-producer exists: kept"), run.output());

        Map<String, Map<String, String>> before = new TreeMap<>(cluster.secrets());
        cluster.delete("rabbitmq-user-keda");
        Run again = cluster.run();
        assertEquals(0, again.exitCode(), again.output());
        Map<String, Map<String, String>> after = cluster.secrets();
        assertEquals(before.keySet(), after.keySet());
        before.forEach((name, data) -> {
            if (name.equals("rabbitmq-user-keda")) {
                assertNotEquals(data, after.get(name), "a new keda Secret, new password");
            } else {
                assertEquals(data, after.get(name), name);
            }
        });
        assertEquals(1, again.calls().stream().filter(call -> call.contains(" create ")).count(), again.calls().toString());
    }

    /** Every Secret a pod template (deploy/) or a TriggerAuthentication (deploy/optional/) reads, with the keys it reads. */
    static Map<String, Set<String>> referenced() {
        Map<String, Set<String>> used = new TreeMap<>();
        for (Workload w : Workloads.all()) {
            for (Container c : w.allContainers()) {
                for (EnvVar env : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
                    if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
                        add(used, env.getValueFrom().getSecretKeyRef().getName(),
                                env.getValueFrom().getSecretKeyRef().getKey());
                    }
                }
                if (c.getEnvFrom() != null) {
                    c.getEnvFrom().stream().filter(from -> from.getSecretRef() != null)
                            .forEach(from -> add(used, from.getSecretRef().getName(), null));
                }
            }
            for (Volume v : w.template().getSpec().getVolumes() == null ? List.<Volume>of()
                    : w.template().getSpec().getVolumes()) {
                if (v.getSecret() != null) {
                    addItems(used, v.getSecret().getSecretName(), v.getSecret().getItems());
                }
                if (v.getProjected() != null) {
                    for (VolumeProjection source : v.getProjected().getSources()) {
                        if (source.getSecret() != null) {
                            addItems(used, source.getSecret().getName(), source.getSecret().getItems());
                        }
                    }
                }
            }
        }
        for (GenericKubernetesResource auth : Manifests.all(Manifests.optional(), GenericKubernetesResource.class)) {
            if (!auth.getKind().equals("TriggerAuthentication")) {
                continue;
            }
            Object spec = auth.getAdditionalProperties().get("spec");
            for (Object ref : (List<?>) ((Map<?, ?>) spec).get("secretTargetRef")) {
                Map<?, ?> r = (Map<?, ?>) ref;
                add(used, (String) r.get("name"), (String) r.get("key"));
            }
        }
        return used;
    }

    private static void addItems(Map<String, Set<String>> used, String name, List<KeyToPath> items) {
        if (items == null || items.isEmpty()) {
            add(used, name, null);
        } else {
            items.forEach(item -> add(used, name, item.getKey()));
        }
    }

    private static void add(Map<String, Set<String>> used, String name, String key) {
        Set<String> keys = used.computeIfAbsent(name, n -> new TreeSet<>());
        if (key != null) {
            keys.add(key);
        }
    }

    private static List<Manifest> concat(List<Manifest> a, List<Manifest> b) {
        List<Manifest> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
