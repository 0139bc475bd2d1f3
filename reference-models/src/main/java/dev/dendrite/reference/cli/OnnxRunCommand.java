package dev.dendrite.reference.cli;

import dev.dendrite.onnxbridge.ImportedModel;
import dev.dendrite.onnxbridge.OnnxFiles;
import dev.dendrite.onnxbridge.OnnxImporter;
import dev.dendrite.onnxbridge.TensorProtos;
import dev.dendrite.tensor.GradMode;
import dev.dendrite.tensor.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dendrite onnx-run MODEL --input FILE.pb... --out DIR}: writes {@code output_<j>.pb} in graph output order. */
@Command(name = "onnx-run", mixinStandardHelpOptions = true,
        description = "Import an ONNX model, run it on TensorProto inputs and write its outputs as TensorProtos.")
final class OnnxRunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "The .onnx file.")
    Path model;

    @Option(names = "--input", paramLabel = "FILE.pb", description = "A TensorProto per graph input, in order.")
    List<Path> inputs = List.of();

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where output_<j>.pb are written.")
    Path out;

    @Override
    public Integer call() {
        ImportedModel m = new OnnxImporter().load(model);
        m.train(false);
        Tensor[] xs = inputs.stream().map(p -> Tensor.of(TensorProtos.read(OnnxFiles.readTensor(p))))
                .toArray(Tensor[]::new);
        Tensor[] ys;
        try (var off = GradMode.off()) {
            ys = m.run(xs);
        }
        for (int j = 0; j < ys.length; j++) {
            OnnxFiles.write(TensorProtos.write(m.outputs().get(j).name(), ys[j].data()), out.resolve("output_" + j + ".pb"));
        }
        spec.commandLine().getOut().println("wrote " + ys.length + " output(s) to " + out);
        return 0;
    }
}
