import WorthEngine
print("worth")
