package org.appmetrica.loader.admin;

import jakarta.batch.operations.JobOperator;
import jakarta.batch.operations.JobSecurityException;
import jakarta.batch.operations.NoSuchJobException;
import jakarta.batch.operations.NoSuchJobExecutionException;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import jakarta.batch.runtime.JobInstance;
import jakarta.batch.runtime.StepExecution;
import org.appmetrica.loader.admin.Views.ExecutionDetail;
import org.appmetrica.loader.admin.Views.ExecutionView;
import org.appmetrica.loader.admin.Views.JobView;
import org.appmetrica.loader.admin.Views.Progress;
import org.appmetrica.loader.admin.Views.StepView;
import org.appmetrica.loader.coordination.Coordination;
import org.appmetrica.loader.coordination.CrashedExecutions;
import org.appmetrica.loader.model.Jobs;
import org.appmetrica.loader.model.LoadParameters;
import org.appmetrica.loader.model.Slice;
import org.appmetrica.loader.model.SliceReport;
import org.appmetrica.loader.model.SliceState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reads and views of executions for {@link ExecutionQueries}: the executions of every job, one execution with its steps
 * and partitions, its effective parameters, its progress against the load's plan. Reads only; secrets stay references.
 */
final class ExecutionViews {

    private static final Logger LOG = Logger.getLogger(ExecutionQueries.class.getName());

    private final Supplier<JobOperator> operator;
    private final StepViews stepView;

    ExecutionViews(Supplier<JobOperator> operator) {
        this.operator = operator;
        this.stepView = new StepViews(operator);
    }

    private JobOperator op() {
        return operator.get();
    }

    List<JobView> jobs() {
        List<JobView> jobs = new ArrayList<>();
        for (String name : jobNames()) {
            int instances;
            List<Long> running;
            try {
                instances = op().getJobInstanceCount(name);
            } catch (NoSuchJobException e) {
                instances = 0;
            }
            try {
                running = List.copyOf(op().getRunningExecutions(name));
            } catch (NoSuchJobException e) {
                running = List.of();
            }
            jobs.add(new JobView(name, instances, running));
        }
        return jobs;
    }

    private Set<String> jobNames() {
        Set<String> names = new TreeSet<>();
        names.add(Jobs.LOAD_JOB); // JBeret SE lists only jobs that ran; the load job is always there
        try {
            names.addAll(op().getJobNames());
        } catch (JobSecurityException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "getJobNames failed", e);
        }
        return names;
    }

    /** The most recent executions of every job, newest first. */
    List<ExecutionView> executions(int limit) {
        List<ExecutionView> all = new ArrayList<>();
        for (String job : jobNames()) {
            List<JobInstance> instances;
            try {
                instances = new ArrayList<>(op().getJobInstances(job, 0, Integer.MAX_VALUE));
            } catch (NoSuchJobException e) {
                continue;
            }
            instances.sort(Comparator.comparingLong(JobInstance::getInstanceId).reversed());
            for (JobInstance instance : instances.subList(0, Math.min(limit, instances.size()))) {
                List<JobExecution> executions = executionsOf(instance);
                Properties merged = new Properties();
                Long previous = null;
                Set<Integer> completedBefore = new TreeSet<>();
                for (int i = 0; i < executions.size(); i++) {
                    JobExecution e = executions.get(i);
                    merge(merged, e.getJobParameters());
                    all.add(view(e, instance, (Properties) merged.clone(), previous, i == executions.size() - 1, null, completedBefore));
                    previous = e.getExecutionId();
                }
            }
        }
        all.sort(Comparator.comparingLong(ExecutionView::id).reversed());
        return all.size() > limit ? List.copyOf(all.subList(0, limit)) : all;
    }

    ExecutionDetail execution(long id) {
        JobExecution e = jobExecution(id);
        JobInstance instance = op().getJobInstance(id);
        List<JobExecution> executions = executionsOf(instance);
        Properties merged = new Properties();
        Long previous = null;
        boolean mostRecent = true;
        Set<Integer> completedBefore = new TreeSet<>();
        for (int i = 0; i < executions.size(); i++) {
            JobExecution x = executions.get(i);
            merge(merged, x.getJobParameters());
            if (x.getExecutionId() == id) {
                mostRecent = i == executions.size() - 1;
                break;
            }
            previous = x.getExecutionId();
            if (Jobs.LOAD_JOB.equals(x.getJobName())) {
                List<StepExecution> earlierSteps = safeSteps(x.getExecutionId());
                if (earlierSteps != null) {
                    completedBefore.addAll(tally(earlierSteps, x.getBatchStatus(), completedBefore).completedIds());
                }
            }
        }
        List<StepExecution> steps = op().getStepExecutions(id);
        List<StepView> stepViews = new ArrayList<>();
        List<Slice> plan = plan(e.getJobName(), merged);
        for (StepExecution step : steps) {
            stepViews.add(stepView.step(step, plan));
        }
        return new ExecutionDetail(view(e, instance, merged, previous, mostRecent, steps, completedBefore), stepViews);
    }

    JobExecution jobExecution(long id) {
        try {
            JobExecution e = op().getJobExecution(id);
            if (e == null) {
                throw new NoSuchJobExecutionException();
            }
            return e;
        } catch (NoSuchJobExecutionException e) {
            throw AdminException.notFound("no execution " + id);
        }
    }

    List<JobExecution> executionsOf(JobInstance instance) {
        List<JobExecution> list = new ArrayList<>(op().getJobExecutions(instance));
        list.sort(Comparator.comparingLong(JobExecution::getExecutionId));
        return list;
    }

    /** The parameters an execution ran with: its own over those of the earlier executions of its job instance. */
    Properties effectiveParameters(long id) {
        Properties merged = new Properties();
        for (JobExecution x : executionsOf(op().getJobInstance(id))) {
            merge(merged, x.getJobParameters());
            if (x.getExecutionId() == id) {
                break;
            }
        }
        return merged;
    }

    static void merge(Properties into, Properties from) {
        if (from == null) {
            return;
        }
        for (String k : from.stringPropertyNames()) {
            String v = from.getProperty(k);
            if (v == null || v.isEmpty()) {
                into.remove(k); // an empty value on restart clears the parameter
            } else {
                into.setProperty(k, v);
            }
        }
    }

    /** The load's own parameters: without those the runtime adds (WildFly's batch subsystem adds jberet.jobXmlName). */
    static Properties jobParameters(Properties all) {
        Properties p = new Properties();
        for (String k : all.stringPropertyNames()) {
            if (!k.startsWith("jberet.") && !k.equals(Coordination.OWNER_PARAMETER)) {
                p.setProperty(k, all.getProperty(k));
            }
        }
        return p;
    }

    private static List<Slice> plan(String job, Properties parameters) {
        if (!Jobs.LOAD_JOB.equals(job)) {
            return null;
        }
        try {
            return LoadParameters.parse(jobParameters(parameters)).slices();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * @param completedBefore the plan's slices (partition ids) completed by the earlier executions of the job instance;
     *                        this execution's completed ones are added to it
     */
    private ExecutionView view(JobExecution e, JobInstance instance, Properties effective, Long previous, boolean mostRecent,
                               List<StepExecution> knownSteps, Set<Integer> completedBefore) {
        BatchStatus status = e.getBatchStatus();
        List<StepExecution> steps = knownSteps;
        Progress progress = null;
        String failure = failureOf(e.getExitStatus());
        if (Jobs.LOAD_JOB.equals(e.getJobName()) || failure == null && (status == BatchStatus.FAILED || status == BatchStatus.STOPPED)) {
            steps = steps == null ? safeSteps(e.getExecutionId()) : steps;
        }
        if (Jobs.LOAD_JOB.equals(e.getJobName()) && steps != null) {
            List<Slice> plan = plan(e.getJobName(), effective);
            Tally t = tally(steps, status, completedBefore);
            int earlier = completedBefore.size();
            completedBefore.addAll(t.completedIds());
            progress = new Progress(plan == null ? t.slices() + earlier : plan.size(), t.slices(), t.completed(), t.failed(), t.running(),
                    earlier, t.rows(), t.bytes());
        }
        if (failure == null && (status == BatchStatus.FAILED || status == BatchStatus.STOPPED) && steps != null) {
            failure = failureOfSteps(steps);
        }
        List<String> actions = new ArrayList<>();
        if (status == BatchStatus.STARTING || status == BatchStatus.STARTED) {
            actions.add("stop");
        }
        if ((status == BatchStatus.FAILED || status == BatchStatus.STOPPED) && mostRecent) {
            actions.add("restart");
        }
        if ((status == BatchStatus.FAILED || status == BatchStatus.STOPPED) && mostRecent) {
            actions.add("abandon"); // only what a restart could continue: a completed load has nothing to give up
        }
        return new ExecutionView(e.getExecutionId(), instance == null ? 0 : instance.getInstanceId(), e.getJobName(), status,
                SecretMask.text(e.getExitStatus()), SecretMask.text(failure), StepViews.time(e.getCreateTime()), StepViews.time(e.getStartTime()),
                StepViews.time(e.getEndTime()), StepViews.time(e.getLastUpdatedTime()), SecretMask.parameters(effective), previous, progress, actions);
    }

    /** What the partitions of an execution's load step say, and which of them (slices of the plan) it completed. */
    private record Tally(int slices, int completed, int failed, int running, long rows, long bytes, Set<Integer> completedIds) {
    }

    /**
     * Counts the partitions of the execution's load step, leaving out those of slices an earlier execution completed: a
     * restart after a crash runs those partitions again (the runtime had not saved them as COMPLETED), and they end at
     * once, finding the slice published (LogsApiItemReader); they belong to the earlier execution's count.
     */
    private Tally tally(List<StepExecution> steps, BatchStatus executionStatus, Set<Integer> completedBefore) {
        int slices = 0;
        int completed = 0;
        int failed = 0;
        int running = 0;
        long rows = 0;
        long bytes = 0;
        Set<Integer> completedIds = new TreeSet<>();
        for (StepExecution step : steps) {
            if (!Jobs.LOAD_STEP.equals(step.getStepName())) {
                continue;
            }
            List<StepViews.Part> parts = stepView.partitions(step);
            if (parts == null) {
                continue;
            }
            for (StepViews.Part p : parts) {
                if (completedBefore.contains(p.id())) {
                    continue;
                }
                slices++;
                BatchStatus s = p.execution().getBatchStatus();
                SliceReport r = StepViews.report(p.execution());
                if (s == BatchStatus.COMPLETED || r != null && r.is(SliceState.PUBLISHED)) {
                    completed++;
                    completedIds.add(p.id());
                } else if (s == BatchStatus.FAILED) {
                    failed++;
                } else if (s == BatchStatus.STARTED || s == BatchStatus.STARTING || s == BatchStatus.STOPPING) {
                    if (unfinished(executionStatus)) {
                        running++;
                    } else {
                        failed++; // the execution ended (crashed) while this slice was loading
                    }
                }
                if (r != null) {
                    rows += r.rows();
                    bytes += r.bytes();
                }
            }
        }
        return new Tally(slices, completed, failed, running, rows, bytes, completedIds);
    }

    private List<StepExecution> safeSteps(long id) {
        try {
            return op().getStepExecutions(id);
        } catch (RuntimeException ex) {
            LOG.log(Level.FINE, "step executions of " + id, ex);
            return null;
        }
    }

    private String failureOfSteps(List<StepExecution> steps) {
        for (StepExecution step : steps) {
            String f = failureOf(step.getExitStatus());
            if (f != null) {
                return f;
            }
            if (Jobs.LOAD_STEP.equals(step.getStepName())) {
                List<StepViews.Part> parts = stepView.partitions(step);
                if (parts != null) {
                    for (StepViews.Part p : parts) {
                        f = failureOf(p.execution().getExitStatus());
                        if (f != null) {
                            return f;
                        }
                    }
                }
            }
        }
        return null;
    }

    static String failureOf(String exitStatus) {
        if (exitStatus != null && exitStatus.startsWith("FAILED:")) {
            return exitStatus.substring("FAILED:".length()).trim();
        }
        if (CrashedExecutions.isCrashExitStatus(exitStatus)) {
            return "crashed: " + exitStatus.substring(CrashedExecutions.EXIT_STATUS_PREFIX.length()).trim();
        }
        return null;
    }

    private static boolean unfinished(BatchStatus status) {
        return status == BatchStatus.STARTING || status == BatchStatus.STARTED || status == BatchStatus.STOPPING;
    }

}
