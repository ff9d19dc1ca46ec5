SipRecorder.Server.Hosting.SocketEngineTuning.Apply();
return await SipRecorder.Server.SipRecorderApp.RunAsync(args);
