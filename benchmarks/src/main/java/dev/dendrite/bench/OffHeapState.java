package dev.dendrite.bench;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Base of every benchmark state. Off-heap buffers are freed only when the GC collects their Java
 * handles, and these loops make little heap garbage, so without a collection per iteration the
 * process's resident memory climbs through a run (fresh pages are slow to fault in here) until
 * JavaCPP's maxPhysicalBytes limit fails an allocation.
 */
public abstract class OffHeapState {
    @TearDown(Level.Iteration)
    public void collectGarbage() {
        System.gc();
    }
}
