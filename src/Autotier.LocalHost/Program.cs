// The local host: placeholder entry point, replaced as the host lands.
return 0;
