package org.fedtrace.bench;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fedtrace.proto.v1.Exposure;
import org.fedtrace.proto.v1.GetExposuresRequest;
import org.fedtrace.proto.v1.OperatorMatchingGrpc;

/**
 * The node's own operator backend as the matching benchmark plays it: asks GetExposures for the
 * devices of an {@link OperatorWorkload}, by their number in the workload.
 */
final class Backend {
  private final OperatorMatchingGrpc.OperatorMatchingBlockingStub stub;
  private final OperatorWorkload workload;

  /** A backend calling on {@code channel}, which carries the backend's client certificate. */
  Backend(ManagedChannel channel, OperatorWorkload workload) {
    this.stub = OperatorMatchingGrpc.newBlockingStub(channel);
    this.workload = workload;
  }

  /** The exposures the node answers for device number {@code device} of the workload. */
  List<Exposure> exposures(int device) {
    return stub.withDeadlineAfter(10, TimeUnit.SECONDS)
        .getExposures(
            GetExposuresRequest.newBuilder()
                .setDeviceKey(ByteString.copyFrom(workload.deviceKeys().get(device)))
                .build())
        .getExposuresList();
  }
}
