package dev.rabbitworks.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

/** Pod templates of deploy/ and how selectors pick them. */
final class Workloads {

    /** A Deployment, StatefulSet or Job with its pod template. */
    record Workload(HasMetadata owner, PodTemplateSpec template) {

        String name() {
            return owner.getKind() + "/" + owner.getMetadata().getName();
        }

        Map<String, String> podLabels() {
            Map<String, String> labels = template.getMetadata().getLabels();
            return labels == null ? Map.of() : labels;
        }

        List<Container> allContainers() {
            List<Container> containers = new ArrayList<>(template.getSpec().getContainers());
            if (template.getSpec().getInitContainers() != null) {
                containers.addAll(template.getSpec().getInitContainers());
            }
            return containers;
        }

        /** The containerPort a Service targetPort or probe port designates (by name or number), or null. */
        Integer resolvePort(IntOrString port) {
            for (Container container : template.getSpec().getContainers()) {
                if (container.getPorts() == null) {
                    continue;
                }
                for (var p : container.getPorts()) {
                    if (port.getIntVal() != null ? port.getIntVal().equals(p.getContainerPort())
                            : port.getStrVal().equals(p.getName())) {
                        return p.getContainerPort();
                    }
                }
            }
            return null;
        }

        int replicas() {
            if (owner instanceof Deployment d) {
                return d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
            }
            if (owner instanceof StatefulSet s) {
                return s.getSpec().getReplicas() == null ? 1 : s.getSpec().getReplicas();
            }
            return 1;
        }
    }

    private Workloads() {
    }

    static List<Workload> all() {
        List<Workload> workloads = new ArrayList<>();
        for (Manifest m : Manifests.deploy()) {
            PodTemplateSpec template = ManifestFilesTest.podTemplate(m.object());
            if (template != null) {
                workloads.add(new Workload(m.object(), template));
            }
        }
        return workloads;
    }

    static Workload deployment(String name) {
        return new Workload(Manifests.get(Deployment.class, name),
                Manifests.get(Deployment.class, name).getSpec().getTemplate());
    }

    static Workload job(String name) {
        return new Workload(Manifests.get(Job.class, name), Manifests.get(Job.class, name).getSpec().getTemplate());
    }

    static List<Workload> selectedBy(Map<String, String> selector) {
        return all().stream().filter(w -> matches(selector, w.podLabels())).toList();
    }

    static List<Workload> selectedBy(LabelSelector selector) {
        return all().stream().filter(w -> matches(selector, w.podLabels())).toList();
    }

    static boolean matches(Map<String, String> selector, Map<String, String> labels) {
        return selector != null && !selector.isEmpty()
                && selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    /** A LabelSelector as Kubernetes reads it; an empty one selects everything. */
    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return false;
        }
        Map<String, String> matchLabels = selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels();
        if (!matchLabels.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())))) {
            return false;
        }
        List<LabelSelectorRequirement> expressions = selector.getMatchExpressions() == null ? List.of()
                : selector.getMatchExpressions();
        for (LabelSelectorRequirement r : expressions) {
            String value = labels.get(r.getKey());
            boolean ok = switch (r.getOperator()) {
                case "In" -> value != null && r.getValues().contains(value);
                case "NotIn" -> value == null || !r.getValues().contains(value);
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                default -> throw new IllegalArgumentException("operator " + r.getOperator());
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    static String env(Container container, String name) {
        if (container.getEnv() == null) {
            return null;
        }
        return container.getEnv().stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue).findFirst()
                .orElse(null);
    }
}
