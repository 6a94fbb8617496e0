package dev.rabbitworks.worker.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

/** The name this instance goes by in task events, logs and its broker connection names. */
@ApplicationScoped
public class WorkerIdentity {

    private final String instanceName;

    public WorkerIdentity(WorkerConfig config) {
        this.instanceName = config.instanceName().filter(name -> !name.isBlank())
                .orElseGet(WorkerIdentity::hostName);
    }

    public String instanceName() {
        return instanceName;
    }

    /** HOSTNAME is the pod name on Kubernetes and the container id under Docker; the resolver is the fallback. */
    static String hostName() {
        return Optional.ofNullable(System.getenv("HOSTNAME")).filter(name -> !name.isBlank()).orElseGet(() -> {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                return "worker-unknown-host";
            }
        });
    }
}
