package dev.rabbitworks.rpc.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

import jakarta.inject.Singleton;

/** Who this replica is: rpc.instance-name, else the host name (the pod name on Kubernetes). */
@Singleton
public class InstanceName {

    private final String value;

    public InstanceName(RpcConfig config) {
        this.value = config.instanceName().filter(name -> !name.isBlank()).orElseGet(InstanceName::hostName);
    }

    public String value() {
        return value;
    }

    private static String hostName() {
        String fromEnv = System.getenv("HOSTNAME");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown-host";
        }
    }
}
