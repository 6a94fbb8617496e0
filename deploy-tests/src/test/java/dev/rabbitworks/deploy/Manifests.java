package dev.rabbitworks.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;

/**
 * Reads manifest files strictly, as the API server would: each document into its typed fabric8 model. Strict
 * means: an unknown field fails (fabric8 keeps unknown fields in {@code additionalProperties} instead of failing,
 * so {@link #unknownFields} walks the objects), a duplicate key fails, and a scalar of the wrong type fails
 * instead of being coerced (an unquoted {@code true} or {@code 8080} where Kubernetes wants a string, such as an
 * env value or an annotation, is refused by the API server).
 */
final class Manifests {

    static final String NAMESPACE = "rabbitworks";

    /** The kinds deploy/ may hold, by apiVersion/kind. */
    static final Map<String, Class<? extends HasMetadata>> TYPES = Map.ofEntries(
            Map.entry("v1/Namespace", Namespace.class),
            Map.entry("v1/ServiceAccount", ServiceAccount.class),
            Map.entry("v1/Secret", Secret.class),
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("rbac.authorization.k8s.io/v1/Role", Role.class),
            Map.entry("rbac.authorization.k8s.io/v1/RoleBinding", RoleBinding.class),
            Map.entry("apps/v1/StatefulSet", StatefulSet.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("networking.k8s.io/v1/Ingress", Ingress.class),
            Map.entry("batch/v1/Job", Job.class));

    /** Custom resources deploy/optional/ may hold (their CRDs come with KEDA and the Prometheus Operator). */
    static final Set<String> CUSTOM_TYPES = Set.of("keda.sh/v1alpha1/ScaledObject",
            "keda.sh/v1alpha1/TriggerAuthentication", "monitoring.coreos.com/v1/ServiceMonitor");

    static final YAMLMapper STRICT = strictMapper();

    private static List<Manifest> deploy;
    private static List<Manifest> optional;

    private Manifests() {
    }

    /** Every document of deploy/*.yaml (what {@code kubectl apply -f deploy} reads), in file order. */
    static synchronized List<Manifest> deploy() {
        if (deploy == null) {
            deploy = Collections.unmodifiableList(load(Project.deployDir(), false));
        }
        return deploy;
    }

    /** Every document of deploy/optional/*.yaml. */
    static synchronized List<Manifest> optional() {
        if (optional == null) {
            optional = Collections.unmodifiableList(load(Project.optionalDir(), true));
        }
        return optional;
    }

    /**
     * The files of a directory (not of its subdirectories) {@code kubectl apply -f} reads, in the order it applies
     * them: *.yaml, *.yml and *.json; it skips any other file (deploy/create-secrets.sh).
     */
    static List<Path> files(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(Files::isRegularFile)
                    .filter(f -> f.getFileName().toString().matches(".*\\.(yaml|yml|json)")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    static List<Manifest> load(Path dir, boolean customTypesAllowed) {
        List<Manifest> manifests = new ArrayList<>();
        for (Path file : files(dir)) {
            manifests.addAll(parse(file, customTypesAllowed));
        }
        return manifests;
    }

    static List<Manifest> parse(Path file, boolean customTypesAllowed) {
        return parse(file, Project.read(file), customTypesAllowed);
    }

    static List<Manifest> parse(Path file, String yaml, boolean customTypesAllowed) {
        List<Manifest> manifests = new ArrayList<>();
        try (MappingIterator<JsonNode> documents = STRICT.readerFor(JsonNode.class).readValues(yaml)) {
            int index = 0;
            while (documents.hasNextValue()) {
                JsonNode tree = documents.nextValue();
                if (tree == null || tree.isNull() || tree.isMissingNode() || tree.isEmpty()) {
                    throw new IllegalArgumentException(file + " #" + (index + 1) + ": empty document");
                }
                manifests.add(new Manifest(file, index, tree, typed(file, index, tree, customTypesAllowed)));
                index++;
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": not valid YAML for Kubernetes: " + e.getMessage(), e);
        }
        return manifests;
    }

    private static HasMetadata typed(Path file, int index, JsonNode tree, boolean customTypesAllowed)
            throws IOException {
        String where = file.getFileName() + " #" + (index + 1);
        String apiVersion = tree.path("apiVersion").asText("");
        String kind = tree.path("kind").asText("");
        String type = apiVersion + "/" + kind;
        Class<? extends HasMetadata> model = TYPES.get(type);
        HasMetadata object;
        if (model != null) {
            object = STRICT.treeToValue(tree, model);
            List<String> unknown = unknownFields(object);
            if (!unknown.isEmpty()) {
                throw new IllegalArgumentException(where + " " + type + ": unknown fields " + unknown);
            }
        } else if (customTypesAllowed && CUSTOM_TYPES.contains(type)) {
            object = STRICT.treeToValue(tree, GenericKubernetesResource.class);
        } else {
            throw new IllegalArgumentException(where + ": unsupported apiVersion/kind '" + type + "'");
        }
        if (object.getMetadata() == null || object.getMetadata().getName() == null) {
            throw new IllegalArgumentException(where + " " + type + ": no metadata.name");
        }
        return object;
    }

    /**
     * Paths of the fields fabric8 did not know: every model class keeps them in {@code additionalProperties}
     * (a {@code @JsonAnySetter}), where FAIL_ON_UNKNOWN_PROPERTIES never sees them.
     */
    static List<String> unknownFields(Object object) {
        List<String> found = new ArrayList<>();
        walk(object, "", found, Collections.newSetFromMap(new IdentityHashMap<>()));
        return found;
    }

    private static void walk(Object value, String path, List<String> found, Set<Object> seen) {
        if (value == null) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, entry) -> walk(entry, path + "." + key, found, seen));
            return;
        }
        if (value instanceof Collection<?> collection) {
            int i = 0;
            for (Object entry : collection) {
                walk(entry, path + "[" + i++ + "]", found, seen);
            }
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.") || !seen.add(value)) {
            return;
        }
        for (Class<?> type = value.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                Object fieldValue = get(field, value);
                if (field.getName().equals("additionalProperties")) {
                    if (fieldValue instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        found.add((path.isEmpty() ? "." : path) + " " + extra.keySet());
                    }
                } else {
                    walk(fieldValue, path + "." + field.getName(), found, seen);
                }
            }
        }
    }

    private static Object get(Field field, Object target) {
        try {
            field.setAccessible(true);
            return field.get(target);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot read " + field, e);
        }
    }

    private static YAMLMapper strictMapper() {
        YAMLMapper mapper = YAMLMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
        // Kubernetes has no implicit conversions: "8080" is not an int, 8080 and true are not strings.
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        for (LogicalType numeric : List.of(LogicalType.Integer, LogicalType.Float, LogicalType.Boolean)) {
            mapper.coercionConfigFor(numeric).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        }
        return mapper;
    }

    // ---- Look-ups ----

    static <T extends HasMetadata> List<T> all(List<Manifest> manifests, Class<T> type) {
        return manifests.stream().map(Manifest::object).filter(type::isInstance).map(type::cast).toList();
    }

    static <T extends HasMetadata> List<T> all(Class<T> type) {
        return all(deploy(), type);
    }

    static <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
        return all(type).stream().filter(o -> name.equals(o.getMetadata().getName())).findFirst();
    }

    static <T extends HasMetadata> T get(Class<T> type, String name) {
        return find(type, name).orElseThrow(
                () -> new AssertionError("deploy/ has no " + type.getSimpleName() + " named " + name));
    }

    static Map<String, String> configMapData(String name) {
        ConfigMap configMap = get(ConfigMap.class, name);
        return configMap.getData() == null ? Map.of() : configMap.getData();
    }
}
