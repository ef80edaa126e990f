package dev.autoscaler.vast;

import dev.autoscaler.spi.InstanceStatus;
import java.util.Locale;

/**
 * Maps Vast's three status fields to an {@link InstanceStatus}. Vast reports
 * {@code actual_status} (what the container does), {@code intended_status} (what was asked) and
 * {@code cur_state} (the contract: running, stopped, or unloaded once destroyed).
 *
 * <table>
 *   <caption>Vast status to InstanceStatus, first matching row wins</caption>
 *   <tr><th>cur_state</th><th>actual_status</th><th>intended_status</th><th>status</th><th>why</th></tr>
 *   <tr><td>unloaded</td><td>any</td><td>any</td><td>FAILED</td><td>the contract is released: it can never run</td></tr>
 *   <tr><td>any</td><td>exited</td><td>stopped</td><td>STOPPED</td><td>a stop that completed: the container exited because it was asked to</td></tr>
 *   <tr><td>any</td><td>exited, unknown, offline</td><td>any other</td><td>FAILED</td><td>never becomes running again: destroy and re-offer</td></tr>
 *   <tr><td>any</td><td>running</td><td>stopped</td><td>STOPPED</td><td>a stop in progress: do not route to it, do not count it as active</td></tr>
 *   <tr><td>any</td><td>running</td><td>any other</td><td>RUNNING</td><td></td></tr>
 *   <tr><td>any</td><td>stopped, frozen</td><td>running</td><td>PROVISIONING</td><td>a resume in progress (it may wait for its GPU)</td></tr>
 *   <tr><td>any</td><td>stopped, frozen</td><td>any other</td><td>STOPPED</td><td>disk kept, no GPU held</td></tr>
 *   <tr><td>any</td><td>null (empty), created, loading, rebooting</td><td>stopped</td><td>STOPPED</td><td>created stopped, or stopped while booting</td></tr>
 *   <tr><td>any</td><td>null (empty), created, loading, rebooting</td><td>any other</td><td>PROVISIONING</td><td>image pull, boot or reboot</td></tr>
 *   <tr><td>any</td><td>anything else</td><td>any</td><td>PROVISIONING</td><td>an unknown new state: the engine's boot timeout catches it if it never runs</td></tr>
 * </table>
 */
public final class VastStatusMapper {
    private VastStatusMapper() {
    }

    public static InstanceStatus map(String actualStatus, String intendedStatus, String curState) {
        String actual = norm(actualStatus);
        String intended = norm(intendedStatus);
        String contract = norm(curState);
        boolean stopWanted = intended.equals("stopped");
        if (contract.equals("unloaded")) {
            return InstanceStatus.FAILED;
        }
        switch (actual) {
            case "exited":
                return stopWanted ? InstanceStatus.STOPPED : InstanceStatus.FAILED;
            case "unknown", "offline":
                return InstanceStatus.FAILED;
            case "running":
                return stopWanted ? InstanceStatus.STOPPED : InstanceStatus.RUNNING;
            case "stopped", "frozen":
                return intended.equals("running") ? InstanceStatus.PROVISIONING : InstanceStatus.STOPPED;
            case "", "created", "loading", "rebooting":
                return stopWanted ? InstanceStatus.STOPPED : InstanceStatus.PROVISIONING;
            default:
                return InstanceStatus.PROVISIONING;
        }
    }

    public static InstanceStatus map(VastInstance instance) {
        return map(instance.actualStatus(), instance.intendedStatus(), instance.curState());
    }

    private static String norm(String value) {
        if (value == null) {
            return "";
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        return v.equals("null") || v.equals("none") ? "" : v;
    }
}
