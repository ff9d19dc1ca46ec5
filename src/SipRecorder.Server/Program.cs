if (args is [SipRecorder.Server.Hosting.DecryptCommand.Name, ..]) return await SipRecorder.Server.Hosting.DecryptCommand.RunAsync(args);
SipRecorder.Server.Hosting.SocketEngineTuning.Apply();
return await SipRecorder.Server.SipRecorderApp.RunAsync(args);
