package dev.rabbitworks.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

/** deploy/ as files: what {@code kubectl apply -f deploy} reads, parsed as strictly as the API server would. */
class ManifestFilesTest {

    private static final List<String> LABELS = List.of("app.kubernetes.io/name", "app.kubernetes.io/part-of",
            "app.kubernetes.io/component");

    @Test
    void deployHoldsPlainYamlOnlyWithTheExtrasInOptional() {
        List<String> problems = new ArrayList<>();
        try (var entries = Files.list(Project.deployDir())) {
            entries.forEach(entry -> {
                String name = entry.getFileName().toString();
                if (Files.isDirectory(entry)) {
                    if (!name.equals("optional")) {
                        problems.add("unexpected directory " + name);
                    }
                } else if (!name.matches("\\d\\d-[a-z0-9-]+\\.yaml") && !name.equals(FirstTimeSecrets.SCRIPT)) {
                    problems.add("not an NN-name.yaml manifest: " + name);
                }
            });
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        for (Path file : Manifests.files(Project.optionalDir())) {
            if (!file.getFileName().toString().matches("[a-z0-9-]+\\.yaml")) {
                problems.add("not a name.yaml manifest: optional/" + file.getFileName());
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void theNamespaceFileSortsFirstAndIsTheOnlyNamespace() {
        List<Path> files = Manifests.files(Project.deployDir());
        assertEquals("00-namespace.yaml", files.get(0).getFileName().toString());
        List<Manifest> namespaces = Manifests.deploy().stream().filter(m -> m.object() instanceof Namespace).toList();
        assertEquals(1, namespaces.size(), "Namespaces in deploy/");
        assertEquals("00-namespace.yaml", namespaces.get(0).file().getFileName().toString());
        assertEquals(Manifests.NAMESPACE, namespaces.get(0).name());
    }

    @Test
    void everyDocumentIsASupportedKindWithNoUnknownField() {
        // Manifests.deploy() throws on an unsupported apiVersion/kind, an unknown field or a mistyped value.
        assertFalse(Manifests.deploy().isEmpty());
        Set<String> kinds = new HashSet<>();
        Manifests.deploy().forEach(m -> kinds.add(m.object().getApiVersion() + "/" + m.kind()));
        assertTrue(Manifests.TYPES.keySet().containsAll(kinds), kinds.toString());
        assertFalse(Manifests.optional().isEmpty());
    }

    @Test
    void theStrictReaderRefusesWhatTheApiServerRefuses() {
        Path file = Path.of("inline.yaml");
        String base = """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: x
                  namespace: rabbitworks
                """;
        assertEquals(1, Manifests.parse(file, base + "data:\n  a: \"1\"\n", false).size());
        assertThrows(IllegalArgumentException.class, () -> Manifests.parse(file, base + "dta:\n  a: b\n", false),
                "unknown field");
        assertThrows(IllegalArgumentException.class, () -> Manifests.parse(file, base + "data:\n  a: 1\n", false),
                "a number where a string is due");
        assertThrows(IllegalArgumentException.class, () -> Manifests.parse(file, base + "data:\n  a: true\n", false),
                "a boolean where a string is due");
        assertThrows(IllegalArgumentException.class,
                () -> Manifests.parse(file, base + "data:\n  a: b\n  a: c\n", false), "duplicate key");
        assertThrows(IllegalArgumentException.class,
                () -> Manifests.parse(file, base.replace("kind: ConfigMap", "kind: ConfigMop"), false), "unknown kind");
        String deployment = """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: x
                spec:
                  replicas: "2"
                """;
        assertThrows(IllegalArgumentException.class, () -> Manifests.parse(file, deployment, false),
                "a string where an int is due");
        assertThrows(IllegalArgumentException.class, () -> Manifests.parse(file,
                deployment.replace("replicas: \"2\"", "template:\n    spec:\n      containers:\n        - name: a\n"
                        + "          imagePullPolicy: IfNotPresent\n          livenessProbe:\n            htpGet: {}\n"),
                false), "unknown field deep down");
    }

    @Test
    void everyObjectIsInTheOneNamespace() {
        List<String> problems = new ArrayList<>();
        for (Manifest m : concat(Manifests.deploy(), Manifests.optional())) {
            if (m.object() instanceof Namespace) {
                continue;
            }
            String namespace = m.object().getMetadata().getNamespace();
            if (!Manifests.NAMESPACE.equals(namespace)) {
                problems.add(m.where() + ": namespace " + namespace);
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void everyObjectAndPodTemplateCarriesTheRecommendedLabels() {
        List<String> problems = new ArrayList<>();
        for (Manifest m : concat(Manifests.deploy(), Manifests.optional())) {
            checkLabels(m.where(), m.object().getMetadata(), problems);
            PodTemplateSpec template = podTemplate(m.object());
            if (template != null) {
                checkLabels(m.where() + " pod template", template.getMetadata(), problems);
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void namesAreUniquePerKind() {
        Set<String> seen = new HashSet<>();
        List<String> duplicates = new ArrayList<>();
        for (Manifest m : concat(Manifests.deploy(), Manifests.optional())) {
            if (!seen.add(m.object().getApiVersion() + "/" + m.kind() + "/" + m.name())) {
                duplicates.add(m.where());
            }
        }
        assertEquals(List.of(), duplicates);
    }

    /**
     * An exact release: a digest, or a tag naming major.minor.patch. latest, 4.3 or 4-management move to another
     * release at the next pull, so two nodes of one cluster could run different ones.
     */
    @Test
    void everyImageIsPinnedToAnExactVersion() {
        List<String> problems = new ArrayList<>();
        for (Workloads.Workload w : Workloads.all()) {
            for (var c : w.allContainers()) {
                if (!pinned(c.getImage())) {
                    problems.add(w.name() + " " + c.getName() + ": image " + c.getImage());
                }
            }
        }
        assertEquals(List.of(), problems, "images without an exact version");
        for (String moving : List.of("rabbitmq", "rabbitmq:latest", "rabbitmq:4.3-management", "rabbitmq:4-management",
                "rabbitmq:management", "curlimages/curl:8", "curlimages/curl:8.11", "registry:5000/x:latest")) {
            assertFalse(pinned(moving), moving);
        }
        for (String exact : List.of("rabbitmq:4.3.5-management", "curlimages/curl:8.11.1",
                "rabbitworks/worker-service:1.0.0-SNAPSHOT", "registry:5000/x:1.2.3",
                "rabbitmq@sha256:" + "a".repeat(64))) {
            assertTrue(pinned(exact), exact);
        }
    }

    static boolean pinned(String image) {
        if (image.matches(".+@sha256:[0-9a-f]{64}")) {
            return true;
        }
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        String tag = colon > slash ? image.substring(colon + 1) : "";
        return tag.matches("v?\\d+\\.\\d+\\.\\d+([-.+][A-Za-z0-9.-]+)?");
    }

    static PodTemplateSpec podTemplate(HasMetadata object) {
        if (object instanceof Deployment d) {
            return d.getSpec().getTemplate();
        }
        if (object instanceof StatefulSet s) {
            return s.getSpec().getTemplate();
        }
        if (object instanceof Job j) {
            return j.getSpec().getTemplate();
        }
        return null;
    }

    private static void checkLabels(String where, ObjectMeta metadata, List<String> problems) {
        Map<String, String> labels = metadata == null || metadata.getLabels() == null ? Map.of() : metadata.getLabels();
        for (String label : LABELS) {
            if (labels.get(label) == null || labels.get(label).isBlank()) {
                problems.add(where + ": no label " + label);
            }
        }
        if (!"rabbitworks".equals(labels.get("app.kubernetes.io/part-of"))) {
            problems.add(where + ": app.kubernetes.io/part-of is not rabbitworks");
        }
    }

    private static List<Manifest> concat(List<Manifest> a, List<Manifest> b) {
        List<Manifest> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
