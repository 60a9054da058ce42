"""Speed and accuracy measurements of the book's models (`make bench`)."""
