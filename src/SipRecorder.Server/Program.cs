return await SipRecorder.Server.SipRecorderApp.RunAsync(args);
