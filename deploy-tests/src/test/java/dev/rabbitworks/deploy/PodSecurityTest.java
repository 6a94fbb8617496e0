package dev.rabbitworks.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SeccompProfileBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;

import dev.rabbitworks.deploy.Workloads.Workload;

/**
 * Pod Security Admission: the namespace enforces the restricted profile, and every pod template of deploy/
 * (Deployments, the StatefulSet with its init container, the Job) meets it, checked as the admission controller
 * checks it (https://kubernetes.io/docs/concepts/security/pod-security-standards/, baseline and restricted).
 */
class PodSecurityTest {

    private static final String LABEL = "pod-security.kubernetes.io/";

    /** The volume types the restricted profile allows (a StatefulSet's claims arrive as persistentVolumeClaim). */
    private static final Set<String> VOLUME_TYPES = Set.of("configMap", "csi", "downwardAPI", "emptyDir", "ephemeral",
            "persistentVolumeClaim", "projected", "secret");
    private static final Set<String> SAFE_SYSCTLS = Set.of("kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range",
            "net.ipv4.ip_unprivileged_port_start", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range",
            "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
            "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes");
    private static final Set<String> SELINUX_TYPES = Set.of("container_t", "container_init_t", "container_kvm_t",
            "container_engine_t");

    @Test
    void theNamespaceEnforcesTheRestrictedProfile() {
        Map<String, String> labels = Manifests.get(Namespace.class, Manifests.NAMESPACE).getMetadata().getLabels();
        for (String mode : List.of("enforce", "audit", "warn")) {
            assertEquals("restricted", labels.get(LABEL + mode), LABEL + mode);
        }
        // Pinned: a later Kubernetes may tighten "latest" and start refusing pods that ran before.
        String version = labels.get(LABEL + "enforce-version");
        assertTrue(version != null && version.matches("v1\\.\\d+"), LABEL + "enforce-version " + version);
        assertTrue(Integer.parseInt(version.substring(3)) >= 30, "the sleep action in preStop needs Kubernetes 1.30");
    }

    @Test
    void everyPodMeetsTheRestrictedProfile() {
        List<String> problems = new ArrayList<>();
        List<Workload> workloads = Workloads.all();
        assertEquals(Set.of("Deployment", "StatefulSet", "Job"),
                Set.copyOf(workloads.stream().map(w -> w.owner().getKind()).toList()), "every kind of pod template");
        for (Workload w : workloads) {
            restrictedViolations(w.template().getSpec()).forEach(problem -> problems.add(w.name() + ": " + problem));
        }
        assertEquals(List.of(), problems);
    }

    /** The checker refuses what the admission controller refuses, in the pod or in an init container only. */
    @Test
    void theCheckerRefusesWhatTheProfileRefuses() {
        assertEquals(List.of(), restrictedViolations(validPod()), "the valid pod");
        Map<String, Consumer<PodSpec>> faults = new LinkedHashMap<>();
        faults.put("hostNetwork", pod -> pod.setHostNetwork(true));
        faults.put("volume h: hostPath", pod -> pod.setVolumes(List.of(new VolumeBuilder().withName("h")
                .withNewHostPath().withPath("/").endHostPath().build())));
        faults.put("pod runAsUser 0", pod -> pod.getSecurityContext().setRunAsUser(0L));
        faults.put("container a: runAsNonRoot", pod -> pod.getSecurityContext().setRunAsNonRoot(null));
        faults.put("container a: seccompProfile", pod -> pod.getSecurityContext().setSeccompProfile(null));
        faults.put("container init: allowPrivilegeEscalation", pod -> init(pod).setAllowPrivilegeEscalation(null));
        faults.put("container init: capabilities must drop ALL", pod -> init(pod).getCapabilities().setDrop(List.of("NET_RAW")));
        faults.put("container init: capabilities may add", pod -> init(pod).getCapabilities().setAdd(List.of("SYS_ADMIN")));
        faults.put("container init: privileged", pod -> init(pod).setPrivileged(true));
        faults.put("container init: runAsNonRoot", pod -> init(pod).setRunAsNonRoot(false));
        faults.put("container init: seccompProfile", pod -> init(pod).setSeccompProfile(
                new SeccompProfileBuilder().withType("Unconfined").build()));
        faults.put("container init: hostPort", pod -> pod.getInitContainers().get(0).setPorts(
                List.of(new ContainerPortBuilder().withContainerPort(80).withHostPort(80).build())));
        faults.forEach((expected, fault) -> {
            PodSpec pod = validPod();
            fault.accept(pod);
            List<String> found = restrictedViolations(pod);
            assertTrue(found.stream().anyMatch(v -> v.startsWith(expected)), expected + " not found in " + found);
        });
    }

    /** Valid as the restricted profile reads it: pod-level non-root and seccomp, containers drop ALL. */
    private static PodSpec validPod() {
        String yaml = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec:
                  template:
                    spec:
                      securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
                      initContainers:
                        - name: init
                          image: a:1.0.0
                          securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
                      containers:
                        - name: a
                          image: a:1.0.0
                          securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
                """;
        List<Manifest> parsed = Manifests.parse(Path.of("inline.yaml"), yaml, false);
        return ((Deployment) parsed.get(0).object()).getSpec().getTemplate().getSpec();
    }

    private static SecurityContext init(PodSpec pod) {
        return pod.getInitContainers().get(0).getSecurityContext();
    }

    /** The checks of the baseline and restricted profiles, for one pod. */
    static List<String> restrictedViolations(PodSpec pod) {
        List<String> problems = new ArrayList<>();
        PodSecurityContext podContext = pod.getSecurityContext();
        if (Boolean.TRUE.equals(pod.getHostNetwork()) || Boolean.TRUE.equals(pod.getHostPID())
                || Boolean.TRUE.equals(pod.getHostIPC())) {
            problems.add("hostNetwork, hostPID or hostIPC");
        }
        for (Volume volume : pod.getVolumes() == null ? List.<Volume>of() : pod.getVolumes()) {
            Map<String, Object> fields = Manifests.STRICT.convertValue(volume, Map.class);
            fields.keySet().stream().filter(type -> !type.equals("name") && !VOLUME_TYPES.contains(type))
                    .forEach(type -> problems.add("volume " + volume.getName() + ": " + type));
        }
        if (podContext != null) {
            if (podContext.getSysctls() != null) {
                podContext.getSysctls().stream().filter(s -> !SAFE_SYSCTLS.contains(s.getName()))
                        .forEach(s -> problems.add("sysctl " + s.getName()));
            }
            if (podContext.getRunAsUser() != null && podContext.getRunAsUser() == 0) {
                problems.add("pod runAsUser 0");
            }
            if (Boolean.FALSE.equals(podContext.getRunAsNonRoot())) {
                problems.add("pod runAsNonRoot false");
            }
            seLinux(podContext.getSeLinuxOptions(), "pod ", problems);
            if (podContext.getWindowsOptions() != null && Boolean.TRUE.equals(podContext.getWindowsOptions().getHostProcess())) {
                problems.add("pod hostProcess");
            }
            if (podContext.getAppArmorProfile() != null
                    && "Unconfined".equals(podContext.getAppArmorProfile().getType())) {
                problems.add("pod appArmorProfile Unconfined");
            }
        }
        boolean podNonRoot = podContext != null && Boolean.TRUE.equals(podContext.getRunAsNonRoot());
        boolean podSeccomp = podContext != null && restrictedSeccomp(podContext.getSeccompProfile());
        if (podContext != null && podContext.getSeccompProfile() != null && !podSeccomp) {
            problems.add("pod seccompProfile " + podContext.getSeccompProfile().getType());
        }
        List<Container> containers = new ArrayList<>(pod.getContainers());
        if (pod.getInitContainers() != null) {
            containers.addAll(pod.getInitContainers());
        }
        for (Container c : containers) {
            String where = "container " + c.getName() + ": ";
            SecurityContext sc = c.getSecurityContext();
            if (c.getPorts() != null && c.getPorts().stream().anyMatch(p -> p.getHostPort() != null && p.getHostPort() != 0)) {
                problems.add(where + "hostPort");
            }
            if (sc == null || !Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
                problems.add(where + "allowPrivilegeEscalation must be false");
            }
            boolean nonRoot = sc != null && sc.getRunAsNonRoot() != null ? sc.getRunAsNonRoot() : podNonRoot;
            if (!nonRoot) {
                problems.add(where + "runAsNonRoot must be true (pod or container)");
            }
            if (sc != null && sc.getRunAsUser() != null && sc.getRunAsUser() == 0) {
                problems.add(where + "runAsUser 0");
            }
            SeccompProfile seccomp = sc == null ? null : sc.getSeccompProfile();
            if (seccomp != null ? !restrictedSeccomp(seccomp) : !podSeccomp) {
                problems.add(where + "seccompProfile RuntimeDefault or Localhost (pod or container)");
            }
            Capabilities caps = sc == null ? null : sc.getCapabilities();
            if (caps == null || caps.getDrop() == null || !caps.getDrop().contains("ALL")) {
                problems.add(where + "capabilities must drop ALL");
            }
            if (caps != null && caps.getAdd() != null
                    && caps.getAdd().stream().anyMatch(cap -> !cap.equals("NET_BIND_SERVICE"))) {
                problems.add(where + "capabilities may add NET_BIND_SERVICE only: " + caps.getAdd());
            }
            if (sc != null) {
                if (Boolean.TRUE.equals(sc.getPrivileged())) {
                    problems.add(where + "privileged");
                }
                if (sc.getProcMount() != null && !sc.getProcMount().equals("Default")) {
                    problems.add(where + "procMount " + sc.getProcMount());
                }
                seLinux(sc.getSeLinuxOptions(), where, problems);
                if (sc.getWindowsOptions() != null && Boolean.TRUE.equals(sc.getWindowsOptions().getHostProcess())) {
                    problems.add(where + "hostProcess");
                }
                if (sc.getAppArmorProfile() != null && "Unconfined".equals(sc.getAppArmorProfile().getType())) {
                    problems.add(where + "appArmorProfile Unconfined");
                }
            }
        }
        return problems;
    }

    private static boolean restrictedSeccomp(SeccompProfile profile) {
        return profile != null && ("RuntimeDefault".equals(profile.getType()) || "Localhost".equals(profile.getType()));
    }

    private static void seLinux(io.fabric8.kubernetes.api.model.SELinuxOptions options, String where,
            List<String> problems) {
        if (options == null) {
            return;
        }
        if (options.getType() != null && !options.getType().isEmpty() && !SELINUX_TYPES.contains(options.getType())) {
            problems.add(where + "seLinuxOptions.type " + options.getType());
        }
        if (options.getUser() != null || options.getRole() != null) {
            problems.add(where + "seLinuxOptions user or role");
        }
    }
}
