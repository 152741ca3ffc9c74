"""Markets where agents meet: labour, goods and AI compute."""
