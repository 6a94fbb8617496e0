package dev.rabbitworks.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;

import dev.rabbitworks.deploy.Workloads.Workload;

/** The four Deployments against their modules: image, environment, probes, shutdown, as the services are built. */
class ServiceDeploymentsTest {

    static final List<String> SERVICES = Project.SERVICES;

    /** Read by the services although no application.properties names them (connector aliases, Quarkus, JVM). */
    static final Set<String> ALWAYS_READ = Set.of("RABBITMQ_HOST", "RABBITMQ_PORT", "RABBITMQ_USERNAME",
            "RABBITMQ_PASSWORD", "RABBITMQ_VIRTUAL_HOST", "JAVA_OPTS_APPEND", "GC_CONTAINER_OPTIONS", "QUARKUS_HTTP_PORT",
            "QUARKUS_SHUTDOWN_TIMEOUT", "QUARKUS_PROFILE", "QUARKUS_LOG_LEVEL");

    @ParameterizedTest
    @FieldSource("SERVICES")
    void theImageIsTheOneJibBuildsFromTheModule(String service) {
        ServiceModule module = new ServiceModule(service);
        String group = module.buildProperty("quarkus.container-image.group").orElseThrow(() -> new AssertionError(
                service + ": set quarkus.container-image.group=rabbitworks (application.properties or a pom property):"
                        + " Jib's default group is the name of the user who builds"));
        String name = module.buildProperty("quarkus.container-image.name").orElse(module.artifactId());
        String tag = module.buildProperty("quarkus.container-image.tag").orElse(module.version());
        assertEquals(group + "/" + name + ":" + tag, container(service).getImage());
        assertEquals("rabbitworks/" + service + ":" + module.version(), container(service).getImage());
    }

    @ParameterizedTest
    @FieldSource("SERVICES")
    void everyEnvironmentVariableIsOneTheServiceReads(String service) {
        ServiceModule module = new ServiceModule(service);
        Set<String> read = new TreeSet<>(ALWAYS_READ);
        module.readProperties().forEach(p -> read.add(ServiceModule.envName(p)));
        Set<String> mappingPrefixes = new TreeSet<>();
        module.mappingProperties().keySet().forEach(p -> mappingPrefixes.add(ServiceModule.envName(p) + "_"));
        List<String> unread = new ArrayList<>();
        for (EnvVar env : container(service).getEnv()) {
            String name = env.getName();
            if (!read.contains(name) && mappingPrefixes.stream().noneMatch(name::startsWith)) {
                unread.add(name);
            }
        }
        assertEquals(List.of(), unread, service + " does not read these (from " + module.applicationProperties()
                + " and its @ConfigMapping interfaces " + module.mappingPrefixes() + ")");
        assertTrue(container(service).getEnvFrom() == null || container(service).getEnvFrom().isEmpty(),
                "envFrom would hand the service variables it does not read");
    }

    @ParameterizedTest
    @FieldSource("SERVICES")
    void theTopologyNamesAreTheServicesOwn(String service) {
        ServiceModule module = new ServiceModule(service);
        Map<String, String> topology = Manifests.configMapData(Topology.CONFIG_MAP);
        List<String> problems = new ArrayList<>();
        Set<String> keys = new TreeSet<>(module.mappingDefaults().keySet());
        keys.addAll(module.properties().keySet());
        for (String key : keys) {
            if (!key.startsWith("topology.")) {
                continue;
            }
            String value = module.resolved(key).orElse(module.mappingDefaults().get(key));
            String env = ServiceModule.envName(key);
            if (!topology.containsKey(env)) {
                problems.add(key + ": no " + env + " in ConfigMap " + Topology.CONFIG_MAP);
            } else if (!topology.get(env).equals(value)) {
                problems.add(key + " is " + value + " in the service, " + topology.get(env) + " in deploy/");
            }
        }
        assertEquals(List.of(), problems);
    }

    @ParameterizedTest
    @FieldSource("SERVICES")
    void probesAskQuarkusHealthOnTheHttpPort(String service) {
        Workload workload = Workloads.deployment(service);
        Container container = container(service);
        assertEquals(1, container.getPorts().size());
        int containerPort = container.getPorts().get(0).getContainerPort();
        assertEquals(String.valueOf(containerPort), Workloads.env(container, "QUARKUS_HTTP_PORT"),
                "QUARKUS_HTTP_PORT is the container port");
        Map<String, Probe> probes = Map.of("/q/health/started", container.getStartupProbe(),
                "/q/health/ready", container.getReadinessProbe(), "/q/health/live", container.getLivenessProbe());
        probes.forEach((path, probe) -> {
            assertNotNull(probe, path);
            HTTPGetAction get = probe.getHttpGet();
            assertEquals(path, get.getPath());
            assertEquals(Integer.valueOf(containerPort), workload.resolvePort(get.getPort()), path + " port");
        });
        Map<String, String> annotations = workload.template().getMetadata().getAnnotations();
        assertEquals(Map.of("prometheus.io/scrape", "true", "prometheus.io/path", "/q/metrics",
                "prometheus.io/port", String.valueOf(containerPort)), annotations);
    }

    /** The manifests assume the extensions and paths they probe and scrape, and the UBI OpenJDK base image (uid 185). */
    @ParameterizedTest
    @FieldSource("SERVICES")
    void theModuleServesHealthAndMetricsWhereTheManifestsLook(String service) {
        ServiceModule module = new ServiceModule(service);
        String pom = Project.read(module.dir().resolve("pom.xml"));
        for (String extension : List.of("quarkus-smallrye-health", "quarkus-micrometer-registry-prometheus",
                "quarkus-container-image-jib")) {
            assertTrue(pom.contains("<artifactId>" + extension + "</artifactId>"), service + " lacks " + extension);
        }
        for (String moved : List.of("quarkus.http.root-path", "quarkus.http.non-application-root-path",
                "quarkus.smallrye-health.root-path", "quarkus.micrometer.export.prometheus.path",
                "quarkus.management.enabled")) {
            assertTrue(module.buildProperty(moved).isEmpty(), service + " sets " + moved + ": the probes or the"
                    + " scrape path in deploy/ would miss");
        }
        module.buildProperty("quarkus.jib.base-jvm-image").ifPresent(image -> assertTrue(image.contains("openjdk"),
                service + ": base image " + image + " may not have the uid 185 the Deployment runs as"));
    }

    @ParameterizedTest
    @FieldSource("SERVICES")
    void theJvmRunsAsTheImagesUserOnAReadOnlyRootWithATmpVolume(String service) {
        Workload workload = Workloads.deployment(service);
        Container container = container(service);
        String imageUser = new ServiceModule(service).buildProperty("quarkus.jib.user").orElseThrow(() ->
                new AssertionError(service + ": set quarkus.jib.user (185): the image's user must be the uid the"
                        + " Deployment runs as, whatever the base image says"));
        assertEquals(Long.valueOf(185), workload.template().getSpec().getSecurityContext().getRunAsUser());
        assertEquals(Long.valueOf(imageUser), workload.template().getSpec().getSecurityContext().getRunAsUser(),
                "pod runAsUser = quarkus.jib.user");
        assertEquals(Long.valueOf(imageUser), container.getSecurityContext().getRunAsUser(),
                "container runAsUser = quarkus.jib.user");
        assertEquals(Boolean.TRUE, container.getSecurityContext().getReadOnlyRootFilesystem());
        VolumeMount tmp = container.getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/tmp")).findFirst()
                .orElseThrow(() -> new AssertionError("no /tmp volume"));
        assertTrue(workload.template().getSpec().getVolumes().stream()
                .anyMatch(v -> v.getName().equals(tmp.getName()) && v.getEmptyDir() != null));
        assertEquals(Boolean.FALSE, workload.template().getSpec().getAutomountServiceAccountToken());
        var memoryLimit = container.getResources().getLimits().get("memory");
        assertTrue(memoryLimit.getNumericalAmount().longValue() >= 256L * 1024 * 1024, "JVM memory limit");
    }

    /**
     * bench/ measures start time and idle RSS "as deployed" with the JVM's view of these limits
     * (-XX:MaxRAM=512m -XX:ActiveProcessorCount=1: Serial GC, heap at most 128 MiB); other limits need a new
     * measurement (docs/performance.md).
     */
    @ParameterizedTest
    @FieldSource("SERVICES")
    void theLimitsAreTheOnesTheFootprintWasMeasuredFor(String service) {
        var limits = container(service).getResources().getLimits();
        assertEquals(512L * 1024 * 1024, limits.get("memory").getNumericalAmount().longValue(), "memory limit");
        assertEquals(1, limits.get("cpu").getNumericalAmount().intValueExact(), "cpu limit");
    }

    /**
     * The grace period counts from the start of the preStop pause: pause, then Quarkus's shutdown (requests or a
     * task in hand finish), then a margin before SIGKILL.
     */
    @ParameterizedTest
    @FieldSource("SERVICES")
    void theServiceShutsDownWithinTheGracePeriod(String service) {
        Workload workload = Workloads.deployment(service);
        Duration shutdown = Duration.parse("PT" + Workloads.env(container(service), "QUARKUS_SHUTDOWN_TIMEOUT")
                .toUpperCase(java.util.Locale.ROOT));
        long pause = preStopSleepSeconds(container(service));
        long grace = workload.template().getSpec().getTerminationGracePeriodSeconds();
        assertTrue(pause + shutdown.toSeconds() + 5 <= grace, "preStop " + pause + " s + shutdown " + shutdown
                + " must end well within " + grace + " s");
        if (service.equals("worker-service")) {
            assertTrue(grace >= 60, "a worker needs time to finish its task");
            assertTrue(workload.replicas() >= 2, "worker replicas");
        }
    }

    /**
     * The producer takes requests through its Service: in a rollout or a drain, kube-proxy and ingress controllers
     * stop sending it requests a few seconds after it leaves the endpoints, so it pauses before SIGTERM. The sleep
     * action is Kubernetes' own (1.30 and later): no exec, so no shell needed in the image.
     */
    @org.junit.jupiter.api.Test
    void theProducerKeepsServingWhileItsEndpointIsRemoved() {
        Container producer = container("producer-service");
        assertNotNull(producer.getLifecycle(), "producer-service has no lifecycle.preStop");
        var preStop = producer.getLifecycle().getPreStop();
        assertNotNull(preStop, "producer-service has no preStop");
        assertNull(preStop.getExec(), "exec needs a shell and sleep in the image; the native sleep action does not");
        assertNotNull(preStop.getSleep(), "lifecycle.preStop.sleep");
        long seconds = preStop.getSleep().getSeconds();
        assertTrue(seconds >= 5 && seconds <= 30, "preStop sleep of " + seconds + " s: 5 to 30 s");
    }

    static long preStopSleepSeconds(Container container) {
        var lifecycle = container.getLifecycle();
        if (lifecycle == null || lifecycle.getPreStop() == null || lifecycle.getPreStop().getSleep() == null) {
            return 0;
        }
        return lifecycle.getPreStop().getSleep().getSeconds();
    }

    /** What the producer under load used outside the capped areas (NMT, docs/deploy.md): CDS, symbols, threads, libraries, malloc. */
    static final long UNCAPPED_MEASURED_MIB = 84;

    /**
     * docs/deploy.md, "Service pod memory": heap (a share of the limit), metaspace, code cache and direct memory
     * (each capped) and the measured rest fit in the limit with 5 % to spare. Without these options the image's
     * run-java.sh gives the heap 80 % of the limit.
     */
    @ParameterizedTest
    @FieldSource("SERVICES")
    void theJvmsMemoryFitsThePodsLimit(String service) {
        Container container = container(service);
        String options = Workloads.env(container, "JAVA_OPTS_APPEND");
        assertNotNull(options, service + ": no JAVA_OPTS_APPEND: the heap would take 80 % of the limit");
        Map<String, String> flags = new java.util.HashMap<>();
        for (String option : options.trim().split("\\s+")) {
            int eq = option.indexOf('=');
            if (option.startsWith("-XX:") && eq > 0) {
                flags.put(option.substring(4, eq), option.substring(eq + 1));
            } else if (option.startsWith("-Xmx")) {
                flags.put("Xmx", option.substring(4));
            }
        }
        long limit = container.getResources().getLimits().get("memory").getNumericalAmount().longValue();
        long heap = flags.containsKey("Xmx") ? bytes(flags.get("Xmx"))
                : flags.containsKey("MaxRAMPercentage") ? (long) (limit * Double.parseDouble(flags.get("MaxRAMPercentage")) / 100)
                : -1;
        assertTrue(heap > 0, service + ": neither -Xmx nor -XX:MaxRAMPercentage in JAVA_OPTS_APPEND");
        long total = heap;
        for (String cap : List.of("MaxMetaspaceSize", "ReservedCodeCacheSize", "MaxDirectMemorySize")) {
            assertTrue(flags.containsKey(cap), service + ": -XX:" + cap + " unset, unbounded next to the heap");
            total += bytes(flags.get(cap));
        }
        total += UNCAPPED_MEASURED_MIB << 20;
        assertTrue(total * 100 <= limit * 95, service + ": heap " + (heap >> 20) + " MiB + capped areas + measured rest = "
                + (total >> 20) + " MiB, over 95 % of the " + (limit >> 20) + " MiB limit");
        assertTrue(heap >= 128L << 20, service + ": heap " + (heap >> 20) + " MiB, less than the footprint was measured with");
    }

    /** run-java.sh adds -XX:+UseParallelGC unless GC_CONTAINER_OPTIONS names the collector; two stop the JVM at start. */
    @ParameterizedTest
    @FieldSource("SERVICES")
    void theRunScriptGetsOneCollector(String service) {
        Container container = container(service);
        assertEquals("-XX:+UseSerialGC", Workloads.env(container, "GC_CONTAINER_OPTIONS"),
                "one core: the collector docs/performance.md measured");
        assertTrue(!Workloads.env(container, "JAVA_OPTS_APPEND").matches(".*-XX:\\+Use\\w+GC.*"),
                "a collector in JAVA_OPTS_APPEND as well as run-java.sh's stops the JVM");
    }

    static long bytes(String size) {
        String s = size.toLowerCase(java.util.Locale.ROOT);
        long unit = switch (s.charAt(s.length() - 1)) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            default -> 1;
        };
        return Long.parseLong(unit == 1 ? s : s.substring(0, s.length() - 1)) * unit;
    }

    @ParameterizedTest
    @FieldSource("SERVICES")
    void theServiceLogsInAsItsOwnBrokerUser(String service) {
        Container container = container(service);
        String user = BrokerOps.USERS.get(service);
        for (String variable : List.of("RABBITMQ_USERNAME", "RABBITMQ_PASSWORD")) {
            EnvVar env = container.getEnv().stream().filter(e -> e.getName().equals(variable)).findFirst()
                    .orElseThrow(() -> new AssertionError(variable));
            assertEquals("rabbitmq-user-" + user, env.getValueFrom().getSecretKeyRef().getName(), variable);
        }
        assertEquals("rabbitmq", Workloads.env(container, "RABBITMQ_HOST"), "the client Service");
        assertTrue(PermissionTable.fromDeploy().containsKey(user), "user " + user + " in the permission table");
    }

    static Container container(String service) {
        Deployment deployment = Manifests.get(Deployment.class, service);
        List<Container> containers = deployment.getSpec().getTemplate().getSpec().getContainers();
        assertEquals(1, containers.size(), service + " containers");
        return containers.get(0);
    }
}
