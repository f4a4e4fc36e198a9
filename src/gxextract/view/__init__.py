"""What a person sees on the terminal: a report as the form prints it (`report`), the progress of
a long read (`progress`)."""
