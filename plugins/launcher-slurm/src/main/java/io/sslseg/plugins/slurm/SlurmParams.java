package io.sslseg.plugins.slurm;

import java.util.List;

/**
 * The {@code slurm} launcher's parameters ({@code compare --launcher slurm} sets them from its options).
 *
 * @param partition the partition ({@code --partition}); empty: the cluster's default
 * @param gpusPerCell GPUs each cell asks for ({@code --gpus-per-task}); 0: none
 * @param cpusPerCell CPU cores each cell asks for ({@code --cpus-per-task}); 0: Slurm's default
 * @param maxParallel cells running at once (the array's {@code %N} throttle); 0: as many as the cluster gives
 * @param time each element's time limit, HH:MM:SS or any form sbatch takes; empty: the partition's
 * @param signalSeconds how long before the time limit the element is told to checkpoint and requeue itself
 * @param sbatchArgs more sbatch arguments, as given ({@code --sbatch-arg}), e.g. {@code --account=x}, {@code --qos=y}
 * @param pollSeconds how often the queue is read while compare waits
 */
public record SlurmParams(String partition, int gpusPerCell, int cpusPerCell, int maxParallel, String time,
        int signalSeconds, List<String> sbatchArgs, int pollSeconds) {
    public static final SlurmParams DEFAULTS = new SlurmParams("", 0, 0, 0, "", 120, List.of(), 5);

    public SlurmParams {
        partition = partition == null ? "" : partition.strip();
        time = time == null ? "" : time.strip();
        sbatchArgs = sbatchArgs == null ? List.of() : List.copyOf(sbatchArgs);
        if (gpusPerCell < 0 || cpusPerCell < 0 || maxParallel < 0) {
            throw new IllegalArgumentException("gpusPerCell, cpusPerCell and maxParallel must be >= 0");
        }
        if (signalSeconds < 1 || pollSeconds < 1) {
            throw new IllegalArgumentException("signalSeconds and pollSeconds must be >= 1");
        }
        if (!partition.matches("[A-Za-z0-9_.,-]*")) {
            throw new IllegalArgumentException("partition: '" + partition + "' is not a partition name");
        }
        if (!time.matches("[0-9:-]*")) {
            throw new IllegalArgumentException("time: '" + time + "' is not a Slurm time (HH:MM:SS, D-HH:MM:SS, MM)");
        }
    }
}
