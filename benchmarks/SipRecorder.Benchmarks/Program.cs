using BenchmarkDotNet.Running;
using SipRecorder.Benchmarks.Media;

if (args is ["relay-floor", var calls, var seconds, ..] rest)
    return RelayFloor.Run(int.Parse(calls), int.Parse(seconds), rest.Length > 3 ? int.Parse(rest[3]) : Environment.ProcessorCount, rest.Length > 4 && rest[4] == "record");
if (args is ["kernel-floor", var kernelCalls, var kernelSeconds, ..] kernelArgs)
    return KernelFloor.Run(int.Parse(kernelCalls), int.Parse(kernelSeconds), kernelArgs.Length > 3 && kernelArgs[3] == "copy");
if (args is ["catalog-scale", var engine, var target, var rows])
    return SipRecorder.Benchmarks.Storage.CatalogScale.Run(engine, target, int.Parse(rows, System.Globalization.CultureInfo.InvariantCulture));
if (args is ["upload-scale", var endpoint, var files, var bytes])
    return SipRecorder.Benchmarks.Storage.UploadScale.Run(endpoint, int.Parse(files, System.Globalization.CultureInfo.InvariantCulture), int.Parse(bytes, System.Globalization.CultureInfo.InvariantCulture));
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
