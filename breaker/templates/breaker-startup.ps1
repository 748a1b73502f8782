# @MARKER@
# Creates the Windows Startup-folder shortcut that starts breaker at login, without a console window.
$ErrorActionPreference = 'Stop'
$shell = New-Object -ComObject WScript.Shell
$link = $shell.CreateShortcut('@LINK@')
$link.TargetPath = '@TARGET@'
$link.Arguments = '@ARGUMENTS@'
$link.WorkingDirectory = '@WORKDIR@'
$link.IconLocation = '@ICON@'
$link.Description = '@MARKER@'
$link.Save()
