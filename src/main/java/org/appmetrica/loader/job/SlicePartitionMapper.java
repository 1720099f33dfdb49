package org.appmetrica.loader.job;

import jakarta.batch.api.partition.PartitionMapper;
import jakarta.batch.api.partition.PartitionPlan;
import jakarta.batch.api.partition.PartitionPlanImpl;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.appmetrica.loader.model.LoadSettings;
import org.appmetrica.loader.model.Slice;
import org.appmetrica.loader.model.SliceProperties;

import java.util.List;
import java.util.Properties;

/**
 * One partition per slice (application × source × day). The plan is a pure function of the job parameters, so a
 * restart maps the same partitions and the runtime re-runs only those that did not complete. Each partition carries
 * only its slice's key; the chunk's size is {@link ChunkBudget}'s, read from the job's properties.
 */
@Named
@Dependent
public class SlicePartitionMapper implements PartitionMapper {

    @Inject
    JobContext jobContext;

    @Override
    public PartitionPlan mapPartitions() {
        LoadSettings settings = SliceProperties.settings(jobContext);
        List<Slice> slices = settings.slices();
        Properties[] properties = new Properties[slices.size()];
        for (int i = 0; i < slices.size(); i++) {
            properties[i] = new Properties();
            properties[i].setProperty(SliceProperties.SLICE, slices.get(i).key());
        }
        PartitionPlanImpl plan = new PartitionPlanImpl();
        plan.setPartitions(slices.size());
        // At most three open exports per application are allowed; more threads than that would only wait.
        plan.setThreads(Math.max(1, Math.min(settings.parallelism(), slices.size())));
        plan.setPartitionProperties(properties);
        return plan;
    }
}
