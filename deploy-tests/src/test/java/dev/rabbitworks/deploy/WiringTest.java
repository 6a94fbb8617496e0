package dev.rabbitworks.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;

import dev.rabbitworks.broker.TopologyConfig;
import dev.rabbitworks.deploy.Workloads.Workload;

/** deploy/ against itself: every name, selector, key and port one object uses exists in another. */
class WiringTest {

    @Test
    void everyServiceSelectsExactlyOneWorkloadAndTargetsItsPorts() {
        List<String> problems = new ArrayList<>();
        for (Service service : Manifests.all(Service.class)) {
            List<Workload> selected = Workloads.selectedBy(service.getSpec().getSelector());
            if (selected.size() != 1) {
                problems.add("Service " + service.getMetadata().getName() + " selects " + selected.size() + " workloads");
                continue;
            }
            for (var port : service.getSpec().getPorts()) {
                IntOrString target = port.getTargetPort() != null ? port.getTargetPort() : new IntOrString(port.getPort());
                if (selected.get(0).resolvePort(target) == null) {
                    problems.add("Service " + service.getMetadata().getName() + " port " + port.getName()
                            + ": no container port " + target);
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void everyWorkloadSelectsItsOwnPods() {
        for (Deployment d : Manifests.all(Deployment.class)) {
            assertTrue(Workloads.matches(d.getSpec().getSelector(), d.getSpec().getTemplate().getMetadata().getLabels()),
                    d.getMetadata().getName());
        }
        for (StatefulSet s : Manifests.all(StatefulSet.class)) {
            assertTrue(Workloads.matches(s.getSpec().getSelector(), s.getSpec().getTemplate().getMetadata().getLabels()),
                    s.getMetadata().getName());
        }
    }

    @Test
    void disruptionBudgetsCoverTheBrokerTheProducersTheWorkersAndTheRpcServersAndLetOnePodGo() {
        Map<String, Integer> covered = new LinkedHashMap<>();
        for (PodDisruptionBudget pdb : Manifests.all(PodDisruptionBudget.class)) {
            List<Workload> selected = Workloads.selectedBy(pdb.getSpec().getSelector());
            assertEquals(1, selected.size(), "workloads selected by PodDisruptionBudget " + pdb.getMetadata().getName());
            assertEquals(Integer.valueOf(1), pdb.getSpec().getMaxUnavailable().getIntVal(), pdb.getMetadata().getName());
            covered.put(selected.get(0).name(), selected.get(0).replicas());
        }
        // Not the log subscriber: with one replica, maxUnavailable 1 protects nothing and 0 blocks every drain.
        assertEquals(Set.of("StatefulSet/rabbitmq", "Deployment/producer-service", "Deployment/worker-service",
                "Deployment/rpc-service"), covered.keySet());
        covered.forEach((workload, replicas) -> assertTrue(replicas >= 2,
                workload + " has " + replicas + " replica(s): a budget would block every eviction"));
    }

    @Test
    void everyReferencedSecretConfigMapAndKeyExists() {
        List<String> problems = new ArrayList<>();
        for (Workload w : Workloads.all()) {
            for (Container c : w.allContainers()) {
                for (EnvVar env : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
                    if (env.getValueFrom() == null) {
                        continue;
                    }
                    var secret = env.getValueFrom().getSecretKeyRef();
                    if (secret != null) {
                        checkSecret(w.name() + " " + env.getName(), secret.getName(), secret.getKey(), problems);
                    }
                    var config = env.getValueFrom().getConfigMapKeyRef();
                    if (config != null) {
                        checkConfigMap(w.name() + " " + env.getName(), config.getName(), config.getKey(), problems);
                    }
                }
                for (EnvFromSource from : c.getEnvFrom() == null ? List.<EnvFromSource>of() : c.getEnvFrom()) {
                    if (from.getConfigMapRef() != null) {
                        checkConfigMap(w.name() + " envFrom", from.getConfigMapRef().getName(), null, problems);
                    }
                    if (from.getSecretRef() != null) {
                        checkSecret(w.name() + " envFrom", from.getSecretRef().getName(), null, problems);
                    }
                }
            }
            for (Volume v : w.template().getSpec().getVolumes() == null ? List.<Volume>of()
                    : w.template().getSpec().getVolumes()) {
                String where = w.name() + " volume " + v.getName();
                if (v.getSecret() != null) {
                    checkItems(where, v.getSecret().getSecretName(), v.getSecret().getItems(), true, problems);
                }
                if (v.getConfigMap() != null) {
                    checkItems(where, v.getConfigMap().getName(), v.getConfigMap().getItems(), false, problems);
                }
                if (v.getProjected() != null) {
                    for (VolumeProjection source : v.getProjected().getSources()) {
                        if (source.getSecret() != null) {
                            checkItems(where, source.getSecret().getName(), source.getSecret().getItems(), true, problems);
                        }
                        if (source.getConfigMap() != null) {
                            checkItems(where, source.getConfigMap().getName(), source.getConfigMap().getItems(), false,
                                    problems);
                        }
                    }
                }
            }
            if (w.template().getSpec().getServiceAccountName() != null
                    && Manifests.find(ServiceAccount.class, w.template().getSpec().getServiceAccountName()).isEmpty()) {
                problems.add(w.name() + ": no ServiceAccount " + w.template().getSpec().getServiceAccountName());
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void everyContainerHasCpuAndMemoryRequestsAndLimits() {
        List<String> problems = new ArrayList<>();
        for (Workload w : Workloads.all()) {
            for (Container c : w.allContainers()) {
                var resources = c.getResources();
                for (String resource : List.of("cpu", "memory")) {
                    Quantity request = resources == null || resources.getRequests() == null ? null
                            : resources.getRequests().get(resource);
                    Quantity limit = resources == null || resources.getLimits() == null ? null
                            : resources.getLimits().get(resource);
                    if (request == null || limit == null) {
                        problems.add(w.name() + " " + c.getName() + ": no " + resource + " request and limit");
                    } else if (Quantity.getAmountInBytes(request).compareTo(Quantity.getAmountInBytes(limit)) > 0) {
                        problems.add(w.name() + " " + c.getName() + ": " + resource + " request above its limit");
                    }
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void everyPodRunsAsNonRootWithNoPrivilegeAndTheDefaultSeccompProfile() {
        List<String> problems = new ArrayList<>();
        for (Workload w : Workloads.all()) {
            var pod = w.template().getSpec().getSecurityContext();
            if (pod == null || !Boolean.TRUE.equals(pod.getRunAsNonRoot()) || pod.getRunAsUser() == null
                    || pod.getRunAsUser() == 0 || pod.getSeccompProfile() == null
                    || !"RuntimeDefault".equals(pod.getSeccompProfile().getType())) {
                problems.add(w.name() + ": pod securityContext (runAsNonRoot, runAsUser, seccompProfile RuntimeDefault)");
            }
            for (Container c : w.allContainers()) {
                var sc = c.getSecurityContext();
                if (sc == null || !Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())
                        || sc.getCapabilities() == null || !List.of("ALL").equals(sc.getCapabilities().getDrop())
                        || Boolean.TRUE.equals(sc.getPrivileged())) {
                    problems.add(w.name() + " " + c.getName()
                            + ": container securityContext (allowPrivilegeEscalation false, drop ALL)");
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void theBrokerIsAThreeNodeClusterThatFindsItsPeersThroughTheHeadlessService() {
        StatefulSet broker = Manifests.get(StatefulSet.class, "rabbitmq");
        assertEquals(3, broker.getSpec().getReplicas());
        assertEquals("Parallel", broker.getSpec().getPodManagementPolicy());
        assertTrue(broker.getSpec().getOrdinals() == null || broker.getSpec().getOrdinals().getStart() == null
                || broker.getSpec().getOrdinals().getStart() == 0, "another first ordinal needs"
                        + " cluster_formation.k8s.ordinal_start");
        Service headless = Manifests.get(Service.class, broker.getSpec().getServiceName());
        assertEquals("None", headless.getSpec().getClusterIP());
        assertEquals(Boolean.TRUE, headless.getSpec().getPublishNotReadyAddresses(),
                "nodes resolve rabbitmq-0 before it is ready");
        assertTrue(Workloads.matches(headless.getSpec().getSelector(), broker.getSpec().getTemplate().getMetadata()
                .getLabels()));

        Map<String, String> conf = rabbitmqConf();
        assertEquals("rabbit_peer_discovery_k8s", conf.get("cluster_formation.peer_discovery_backend"));

        Container rabbit = broker.getSpec().getTemplate().getSpec().getContainers().get(0);
        String nodeName = Workloads.env(rabbit, "RABBITMQ_NODENAME");
        assertEquals("rabbit@$(MY_POD_NAME)." + headless.getMetadata().getName() + ".$(MY_POD_NAMESPACE).svc.cluster.local",
                nodeName, "node names are the pods' DNS names under the headless Service");
        assertEquals("metadata.name", fieldRef(rabbit, "MY_POD_NAME"));
        assertEquals("metadata.namespace", fieldRef(rabbit, "MY_POD_NAMESPACE"));
        assertEquals("true", Workloads.env(rabbit, "RABBITMQ_USE_LONGNAME"));
        // rabbit_peer_discovery_k8s (4.1 and later): each node joins the node of ordinal 0, named as itself.
        String seed = "rabbit@" + broker.getMetadata().getName() + "-0." + headless.getMetadata().getName() + "."
                + Manifests.NAMESPACE + ".svc.cluster.local";
        for (int ordinal = 0; ordinal < broker.getSpec().getReplicas(); ordinal++) {
            String node = nodeName.replace("$(MY_POD_NAME)", broker.getMetadata().getName() + "-" + ordinal)
                    .replace("$(MY_POD_NAMESPACE)", Manifests.NAMESPACE);
            assertEquals(seed, seedNodeOf(node), node);
        }
        String plugins = Manifests.configMapData("rabbitmq-config").get("enabled_plugins");
        for (String plugin : List.of("rabbitmq_management", "rabbitmq_peer_discovery_k8s", "rabbitmq_prometheus")) {
            assertTrue(plugins.contains(plugin), "enabled_plugins lacks " + plugin);
        }
        assertTrue(plugins.strip().matches("\\[[a-z0-9_,]+]\\."), "enabled_plugins is an Erlang list: " + plugins);

        assertEquals(List.of("rabbitmq-diagnostics", "-q", "ping"), rabbit.getLivenessProbe().getExec().getCommand());
        assertEquals(List.of("rabbitmq-diagnostics", "-q", "check_port_connectivity"),
                rabbit.getReadinessProbe().getExec().getCommand());
        assertTrue(rabbit.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals("/var/lib/rabbitmq")
                && broker.getSpec().getVolumeClaimTemplates().stream()
                        .anyMatch(pvc -> pvc.getMetadata().getName().equals(m.getName()))),
                "the data directory is on a persistent volume claim");
        Service client = Manifests.get(Service.class, "rabbitmq");
        assertTrue(client.getSpec().getPorts().stream().map(p -> p.getPort()).toList().containsAll(List.of(5672, 15672)));
    }

    /** What rabbit_peer_discovery_k8s 4.1+ computes: the node's name with its StatefulSet ordinal replaced by 0. */
    static String seedNodeOf(String node) {
        Matcher m = Pattern.compile("^([^@]+@)([^.]*-)([0-9]+)(.*)$").matcher(node);
        assertTrue(m.matches(), node + " has no -<ordinal> suffix: peer discovery fails");
        return m.group(1) + m.group(2) + "0" + m.group(4);
    }

    @Test
    void theBrokerPodsGetNoKubernetesApiToken() {
        var pod = Manifests.get(StatefulSet.class, "rabbitmq").getSpec().getTemplate().getSpec();
        assertEquals(Boolean.FALSE, pod.getAutomountServiceAccountToken(),
                "peer discovery (4.1 and later) calls no Kubernetes API");
        assertEquals(List.of(), Manifests.all(RoleBinding.class).stream().map(b -> b.getMetadata().getName()).toList(),
                "no workload of deploy/ talks to the Kubernetes API");
    }

    @Test
    void onlyThisSystemsPodsReachTheBroker() {
        NetworkPolicy policy = Manifests.get(NetworkPolicy.class, "rabbitmq");
        Workload broker = new Workload(Manifests.get(StatefulSet.class, "rabbitmq"),
                Manifests.get(StatefulSet.class, "rabbitmq").getSpec().getTemplate());
        assertTrue(Workloads.matches(policy.getSpec().getPodSelector(), broker.podLabels()));
        assertEquals(List.of("Ingress"), policy.getSpec().getPolicyTypes());
        List<NetworkPolicyIngressRule> rules = policy.getSpec().getIngress();

        for (String service : Project.SERVICES) {
            assertTrue(admits(rules, Workloads.deployment(service).podLabels(), 5672), service + " on 5672");
        }
        assertTrue(admits(rules, Workloads.job("broker-users").podLabels(), 15672), "the broker-users Job on 15672");
        for (int port : List.of(4369, 25672, 5672, 15672)) {
            assertTrue(admits(rules, broker.podLabels(), port), "the broker's peers on " + port);
        }
        Map<String, String> stranger = Map.of("app.kubernetes.io/name", "something-else");
        for (int port : List.of(4369, 25672, 5672, 15672)) {
            assertTrue(!admits(rules, stranger, port), "another application's pod on " + port);
        }
        for (NetworkPolicyIngressRule rule : rules) {
            if (rule.getFrom() == null || rule.getFrom().isEmpty()) {
                assertEquals(List.of(15692), rule.getPorts().stream().map(p -> p.getPort().getIntVal()).toList(),
                        "only the metrics port is open to every source");
            }
        }
    }

    @Test
    void theOptionalExtrasPointAtWhatDeployHolds() {
        TopologyConfig topology = Topology.fromDeploy();
        GenericKubernetesResource scaledObject = custom("ScaledObject", "worker-service");
        Map<String, Object> spec = map(scaledObject.getAdditionalProperties().get("spec"));
        Map<String, Object> target = map(spec.get("scaleTargetRef"));
        Deployment worker = Manifests.get(Deployment.class, (String) target.get("name"));
        assertTrue(((Number) spec.get("minReplicaCount")).intValue() >= worker.getSpec().getReplicas(),
                "KEDA keeps at least the Deployment's replicas (its PodDisruptionBudget needs two)");
        Map<String, Object> trigger = map(((List<?>) spec.get("triggers")).get(0));
        Map<String, Object> metadata = map(trigger.get("metadata"));
        assertEquals("rabbitmq", trigger.get("type"));
        assertEquals(topology.taskQueue(), metadata.get("queueName"));
        assertTrue(metadata.get("host").toString().contains("//rabbitmq." + Manifests.NAMESPACE + ".svc"),
                "KEDA talks to the client Service");
        String authName = (String) map(trigger.get("authenticationRef")).get("name");
        GenericKubernetesResource auth = custom("TriggerAuthentication", authName);
        List<String> problems = new ArrayList<>();
        for (Object ref : (List<?>) map(auth.getAdditionalProperties().get("spec")).get("secretTargetRef")) {
            Map<String, Object> r = map(ref);
            checkSecret("TriggerAuthentication " + authName, (String) r.get("name"), (String) r.get("key"), problems);
        }
        assertEquals(List.of(), problems);

        Ingress ingress = Manifests.all(Manifests.optional(), Ingress.class).get(0);
        var backend = ingress.getSpec().getRules().get(0).getHttp().getPaths().get(0).getBackend().getService();
        Service producer = Manifests.get(Service.class, backend.getName());
        assertTrue(producer.getSpec().getPorts().stream().anyMatch(p -> p.getName().equals(backend.getPort().getName())));

        for (GenericKubernetesResource monitor : customs("ServiceMonitor")) {
            Map<String, Object> monitorSpec = map(monitor.getAdditionalProperties().get("spec"));
            var selector = Manifests.STRICT.convertValue(monitorSpec.get("selector"),
                    io.fabric8.kubernetes.api.model.LabelSelector.class);
            String port = (String) map(((List<?>) monitorSpec.get("endpoints")).get(0)).get("port");
            List<Service> selected = Manifests.all(Service.class).stream()
                    .filter(s -> Workloads.matches(selector, s.getMetadata().getLabels()))
                    .filter(s -> s.getSpec().getPorts().stream().anyMatch(p -> port.equals(p.getName()))).toList();
            assertTrue(!selected.isEmpty(), "ServiceMonitor " + monitor.getMetadata().getName() + " scrapes nothing");
        }
        assertEquals(4, Manifests.all(Service.class).stream()
                .filter(s -> Project.SERVICES.contains(s.getMetadata().getName()))
                .filter(s -> customs("ServiceMonitor").stream().anyMatch(m -> Workloads.matches(
                        Manifests.STRICT.convertValue(map(m.getAdditionalProperties().get("spec")).get("selector"),
                                io.fabric8.kubernetes.api.model.LabelSelector.class),
                        s.getMetadata().getLabels())))
                .count(), "the four services are scraped");
    }

    /** rabbitmq.conf as key = value lines. */
    static Map<String, String> rabbitmqConf() {
        Map<String, String> conf = new LinkedHashMap<>();
        for (String line : Manifests.configMapData("rabbitmq-config").get("rabbitmq.conf").split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int eq = trimmed.indexOf('=');
            assertTrue(eq > 0, "not a key = value line: " + line);
            String key = trimmed.substring(0, eq).strip();
            assertTrue(conf.put(key, trimmed.substring(eq + 1).strip()) == null, "twice in rabbitmq.conf: " + key);
        }
        return conf;
    }

    private static String fieldRef(Container container, String name) {
        return container.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
                .map(e -> e.getValueFrom().getFieldRef().getFieldPath()).orElse(null);
    }

    private static boolean admits(List<NetworkPolicyIngressRule> rules, Map<String, String> podLabels, int port) {
        for (NetworkPolicyIngressRule rule : rules) {
            boolean portOk = rule.getPorts() == null || rule.getPorts().stream()
                    .anyMatch(p -> p.getPort() != null && Integer.valueOf(port).equals(p.getPort().getIntVal()));
            boolean fromOk = rule.getFrom() == null || rule.getFrom().isEmpty() || rule.getFrom().stream()
                    .anyMatch(peer -> peer.getNamespaceSelector() == null && peer.getIpBlock() == null
                            && Workloads.matches(peer.getPodSelector(), podLabels));
            if (portOk && fromOk) {
                return true;
            }
        }
        return false;
    }

    /** Secrets are not in deploy/: deploy/create-secrets.sh makes them, once (FirstTimeSecretsTest). */
    private static void checkSecret(String where, String name, String key, List<String> problems) {
        if (!FirstTimeSecrets.created().containsKey(name)) {
            problems.add(where + ": no Secret " + name + " made by deploy/" + FirstTimeSecrets.SCRIPT);
        } else if (key != null && !FirstTimeSecrets.keys(name).contains(key)) {
            problems.add(where + ": Secret " + name + " has no key " + key);
        }
    }

    private static void checkConfigMap(String where, String name, String key, List<String> problems) {
        if (Manifests.find(io.fabric8.kubernetes.api.model.ConfigMap.class, name).isEmpty()) {
            problems.add(where + ": no ConfigMap " + name);
        } else if (key != null && !Manifests.configMapData(name).containsKey(key)) {
            problems.add(where + ": ConfigMap " + name + " has no key " + key);
        }
    }

    private static void checkItems(String where, String name, List<KeyToPath> items, boolean secret,
            List<String> problems) {
        if (items == null || items.isEmpty()) {
            if (secret) {
                checkSecret(where, name, null, problems);
            } else {
                checkConfigMap(where, name, null, problems);
            }
            return;
        }
        for (KeyToPath item : items) {
            if (secret) {
                checkSecret(where, name, item.getKey(), problems);
            } else {
                checkConfigMap(where, name, item.getKey(), problems);
            }
        }
    }

    private static GenericKubernetesResource custom(String kind, String name) {
        return customs(kind).stream().filter(r -> r.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("deploy/optional has no " + kind + " " + name));
    }

    private static List<GenericKubernetesResource> customs(String kind) {
        return Manifests.all(Manifests.optional(), GenericKubernetesResource.class).stream()
                .filter(r -> r.getKind().equals(kind)).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertNotNull(value);
        return (Map<String, Object>) value;
    }
}
